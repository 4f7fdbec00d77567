/**
 * A local Slack for tests: the Web API, `response_url`s and Socket Mode on one node:http server
 * at 127.0.0.1:0, driven by the real @slack/bolt and @slack/web-api clients unmodified.
 *
 * - Web API: `POST /api/<method>`. Bodies are form-encoded as web-api sends them (`blocks`,
 *   `attachments` and `metadata` arrive as JSON strings and are parsed, see request.ts) or JSON.
 *   The bot token must come as `Authorization: Bearer` or a `token` field. Errors are answered
 *   as Slack does: HTTP 200 `{ ok: false, error }` (any other status makes web-api retry).
 *   Methods: auth.test, chat.postMessage (thread parent must exist in that channel; answers the
 *   channel id and ts), chat.update, chat.postEphemeral, conversations.history and .replies
 *   (metadata only with include_all_metadata), users.info (admin flags per user),
 *   apps.connections.open (app token; answers a ws:// URL), and the external file upload flow
 *   (files.ts: upload URLs on this server, bytes kept in `files`).
 * - Every call is recorded in `calls`, with its parsed arguments and what was answered.
 * - Faults on demand (`fail()`, see faults.ts): 429 with an integer Retry-After, 5xx, slow
 *   answers, `{ok:false}` errors, before or after the call took effect. A per-channel limit on
 *   chat.postMessage (1/s with a small burst) answers 429 like Slack; `limiter.hits` counts them.
 * - Outages (`outage.begin('error' | 'silent', ms)`, see chat-outage.ts): the whole Web API
 *   answers 500, or never answers, for a while; recorded with status 500 or 0.
 * - `responseUrl()` hands out `response_url`s (5 uses, 30 minutes, see response-urls.ts),
 *   recorded in `responses`.
 * - Socket Mode: see socket.ts (hello on connect, envelopes out, acks in).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatOutage } from '../chat-outage.js';
import {
  type ChannelLimit,
  ChannelRateLimiter,
  type FaultHandle,
  type FaultRule,
  Faults,
} from './faults.js';
import { FakeFiles } from './files.js';
import { bearer, parseArgs, readBody } from './request.js';
import { FakeResponseUrls } from './response-urls.js';
import { FakeSocketMode } from './socket.js';
import { type ApiResult, BOT_ID, BOT_USER_ID, Workspace } from './workspace.js';

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  teamId?: string;
  /** Channels the bot is in; more with `workspace.addChannel`. Default: C0GENERAL. */
  channels?: string[];
  /** Per-channel chat.postMessage limit; `false` disables it. Default 1/s, burst 3. */
  channelLimit?: ChannelLimit | false;
}

export interface ApiCall {
  at: number;
  method: string;
  args: Record<string, unknown>;
  /** What the fake answered: HTTP status and Slack's `ok`/`error`. */
  status: number;
  ok: boolean;
  error?: string;
}

export type { ResponseUrlPost } from './response-urls.js';

export class FakeSlack {
  readonly workspace: Workspace;
  readonly socket: FakeSocketMode;
  /** The external upload flow's files, bytes included (files.ts). */
  readonly files: FakeFiles;
  readonly limiter: ChannelRateLimiter;
  readonly faults = new Faults();
  readonly outage = new ChatOutage();
  readonly calls: ApiCall[] = [];
  private readonly effectListeners = new Set<
    (method: string, args: Record<string, unknown>) => void
  >();
  private readonly responseUrls = new FakeResponseUrls();
  /** What was posted to the response_urls. */
  readonly responses = this.responseUrls.posts;
  readonly botToken: string;
  readonly appToken: string;
  private readonly server: Server;
  private port = 0;

  private constructor(options: FakeSlackOptions) {
    this.botToken = options.botToken ?? 'xoxb-fake-bot-token';
    this.appToken = options.appToken ?? 'xapp-fake-app-token';
    this.workspace = new Workspace(options.teamId ?? 'T0FAKE');
    for (const id of options.channels ?? ['C0GENERAL']) this.workspace.addChannel(id);
    this.files = new FakeFiles(this.workspace, () => `http://127.0.0.1:${this.port}`);
    this.limiter = new ChannelRateLimiter(
      options.channelLimit === false
        ? undefined
        : (options.channelLimit ?? { perSecond: 1, burst: 3 }),
    );
    this.socket = new FakeSocketMode('A0FAKE');
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      });
    });
    this.server.on('upgrade', (req, socket, head) => this.socket.handleUpgrade(req, socket, head));
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The value for SLACK_API_URL / WebClient's slackApiUrl. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** Adds a fault rule (see faults.ts). */
  fail(rule: FaultRule, options: { first?: boolean } = {}): FaultHandle {
    return this.faults.add(rule, options);
  }

  /** A fresh response_url for a slash-command payload. */
  responseUrl(): string {
    return this.responseUrls.issue(
      `http://127.0.0.1:${this.port}/commands/${this.workspace.teamId}`,
    );
  }

  /**
   * Calls `listener` with each Web API call that succeeded, the moment it has taken effect and
   * before its answer leaves (a test can kill the bot right there). Returns the unsubscribe.
   */
  onEffect(listener: (method: string, args: Record<string, unknown>) => void): () => void {
    this.effectListeners.add(listener);
    return () => this.effectListeners.delete(listener);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Successful calls of a method: what Slack actually accepted. */
  accepted(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  /** Polls (every 10 ms) until the predicate holds; throws with `what` after the timeout. */
  async waitFor(predicate: () => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`fake Slack: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const bytes = await readBody(req);
    if (req.method === 'POST' && (await this.files.serveUpload(url.pathname, req, bytes, res))) {
      return;
    }
    const raw = bytes.toString('utf8');
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      return this.api(url.pathname.slice('/api/'.length), req, raw, res);
    }
    const command = /^\/commands\/[^/]+\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && command?.[1]) return this.responseUrls.serve(command[1], raw, res);
    res.writeHead(404).end('not found');
  }

  private async api(method: string, req: IncomingMessage, raw: string, res: ServerResponse) {
    const args = parseArgs(req.headers['content-type'], raw);
    const token = bearer(req.headers.authorization) ?? (args.token as string | undefined);
    const record = (status: number, result: ApiResult) => {
      this.calls.push({
        at: Date.now(),
        method,
        args,
        status,
        ok: status === 200 && result.ok,
        ...(result.ok ? {} : { error: result.error }),
      });
    };
    const down = this.outage.active;
    if (this.outage.intercept(res, 'upstream error', 'text/plain')) {
      return record(down === 'error' ? 500 : 0, { ok: false, error: 'internal_error' });
    }
    const fault = this.faults.decide(method);
    if (fault?.delayMs && !fault.afterCommit) await sleep(fault.delayMs);
    if (fault && !fault.afterCommit && (fault.status || fault.okFalse)) {
      return this.answerFault(res, fault, record);
    }
    const limited = method === 'chat.postMessage' ? this.limitFor(args) : undefined;
    if (limited !== undefined) {
      const result: ApiResult = { ok: false, error: 'ratelimited' };
      record(429, result);
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limited) });
      res.end(JSON.stringify(result));
      return;
    }
    const result = this.dispatch(method, token, args);
    if (result.ok) for (const listener of this.effectListeners) listener(method, args);
    if (fault?.delayMs && fault.afterCommit) await sleep(fault.delayMs);
    if (fault?.afterCommit && (fault.status || fault.okFalse)) {
      return this.answerFault(res, fault, record);
    }
    record(200, result);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(result));
  }

  private limitFor(args: Record<string, unknown>): number | undefined {
    const channel = this.workspace.resolve(args.channel);
    return typeof channel === 'string' ? undefined : this.limiter.take(channel.id);
  }

  private answerFault(
    res: ServerResponse,
    fault: { status?: number; retryAfter?: number; okFalse?: string },
    record: (status: number, result: ApiResult) => void,
  ): void {
    const status = fault.okFalse ? 200 : (fault.status ?? 500);
    const error = fault.okFalse ?? (status === 429 ? 'ratelimited' : 'internal_error');
    const result: ApiResult = { ok: false, error };
    record(status, result);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (status === 429) headers['retry-after'] = String(fault.retryAfter ?? 1);
    res.writeHead(status, headers);
    res.end(status >= 500 ? 'upstream error' : JSON.stringify(result));
  }

  private dispatch(
    method: string,
    token: string | undefined,
    args: Record<string, unknown>,
  ): ApiResult {
    if (method === 'apps.connections.open') {
      if (token !== this.appToken)
        return { ok: false, error: token ? 'invalid_auth' : 'not_authed' };
      const ticket = this.socket.openTicket();
      return { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}` };
    }
    if (!token) return { ok: false, error: 'not_authed' };
    if (token !== this.botToken) return { ok: false, error: 'invalid_auth' };
    const ws = this.workspace;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake Team',
          user: 'outage-bot',
          team_id: ws.teamId,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          is_enterprise_install: false,
        };
      case 'chat.postMessage':
        return ws.postMessage(args);
      case 'chat.update':
        return ws.update(args);
      case 'chat.postEphemeral': {
        const channel = ws.resolve(args.channel, { write: true });
        if (typeof channel === 'string') return { ok: false, error: channel };
        if (typeof args.user !== 'string') return { ok: false, error: 'user_not_found' };
        return { ok: true, message_ts: ws.nextTs() };
      }
      case 'conversations.history':
        return ws.history(args);
      case 'conversations.replies':
        return ws.replies(args);
      case 'users.info':
        return ws.userInfo(args);
      default:
        return this.files.dispatch(method, args) ?? { ok: false, error: 'unknown_method' };
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
