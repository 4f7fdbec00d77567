/**
 * A local Discord for tests: REST under `http://127.0.0.1:<port>/api/v10/...` plus a gateway at
 * `ws://127.0.0.1:<port>/gateway`, both on one node:http server, so the real discord.js 14 client
 * runs unmodified against it (`rest.api` = `fake.apiUrl`; the gateway URL is discovered through
 * `GET /gateway/bot`, as discord.js does).
 *
 * - Gateway (gateway.ts): HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeat ACKs, RESUME ->
 *   RESUMED, op 7 on demand, and test-driven INTERACTION_CREATE (`sendInteraction`, `interact`).
 * - REST (rest.ts, routes-*.ts): gateway discovery, users/@me, applications/@me, application
 *   commands (global and guild, recorded), interaction callbacks and webhooks, channels, messages
 *   (nonce + enforce_nonce), edits, threads from messages, forum posts.
 * - Limits (limits.ts): Discord's X-RateLimit-* headers per route and major parameter, real 429s,
 *   the global per-bot limit when asked for (`globalPerSecond`), and faults on demand (`addFault`): 429, 5xx, 403 50001, 404 10003, delays, lost responses.
 * - Every REST call is recorded in `calls` (method, route template, path, query, headers, body).
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatOutage } from '../chat-outage.js';
import { buildComponentInteraction, type ComponentPress } from './components.js';
import { FakeGateway } from './gateway.js';
import { type FakeRole, guildCreatePayload } from './guild.js';
import { dispatchInteraction, isAnswered, waitUntil } from './interaction-dispatch.js';
import { buildInteraction, type InteractionInput, PERMISSIONS } from './interactions.js';
import {
  type BucketTable,
  DEFAULT_BUCKETS,
  type FaultRule,
  FaultTable,
  GlobalLimiter,
  RateLimiter,
} from './limits.js';
import { createRestListener, type RecordedCall } from './rest.js';
import { appRoutes } from './routes-app.js';
import { channelRoutes } from './routes-channels.js';
import {
  CHANNEL_TYPES,
  type FakeChannel,
  type FakeMessage,
  FakeState,
  type InteractionRecord,
} from './state.js';

export type { FakeRole } from './guild.js';
export { type InteractionInput, PERMISSIONS } from './interactions.js';
export { FAULTS, type Fault, type FaultRule } from './limits.js';
export type { RecordedCall } from './rest.js';
export type { FakeChannel, FakeMessage, InteractionRecord } from './state.js';

export interface FakeDiscordOptions {
  token?: string;
  /** Short intervals exercise heartbeats in tests; Discord's is ~41 s. */
  heartbeatIntervalMs?: number;
  buckets?: BucketTable;
  interactionWindowMs?: number;
  nonceWindowMs?: number;
  /** Server roles besides @everyone, sent in GUILD_CREATE. */
  roles?: FakeRole[];
  /** Discord's global limit per bot (50 requests/s); unset: no global limit. */
  globalPerSecond?: number;
}

export type ButtonPressInput = Omit<ComponentPress, 'channel' | 'permissions'> & {
  permissions?: string;
};

export class FakeDiscord {
  readonly token: string;
  readonly appId = '100000000000000001';
  readonly guildId = '200000000000000001';
  readonly botUser = {
    id: this.appId,
    username: 'outage-bot',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
    flags: 0,
  };
  readonly state: FakeState;
  readonly calls: RecordedCall[] = [];
  private readonly effectListeners = new Set<(call: RecordedCall) => void>();
  readonly faults = new FaultTable();
  /** `outage.begin('error' | 'silent', ms)`: the REST API answers 500, or nothing, for a while. */
  readonly outage = new ChatOutage();
  readonly limiter: RateLimiter;
  readonly globalLimiter: GlobalLimiter | undefined;
  readonly gateway: FakeGateway;
  /** #incidents (text), #incident-forum (forum) and #general (text). */
  readonly channels: { incidents: FakeChannel; forum: FakeChannel; general: FakeChannel };
  private readonly server: Server;
  private port = 0;

  private readonly roles: FakeRole[];

  constructor(options: FakeDiscordOptions = {}) {
    this.roles = options.roles ?? [];
    this.token = options.token ?? 'fake.discord.token';
    this.state = new FakeState({ guildId: this.guildId, botUser: this.botUser });
    this.limiter = new RateLimiter({ ...DEFAULT_BUCKETS, ...options.buckets });
    this.globalLimiter =
      options.globalPerSecond === undefined
        ? undefined
        : new GlobalLimiter(options.globalPerSecond);
    this.channels = {
      incidents: this.state.addChannel({ name: 'incidents' }),
      forum: this.state.addChannel({ name: 'incident-forum', type: CHANNEL_TYPES.forum }),
      general: this.state.addChannel({ name: 'general' }),
    };
    const ctx = {
      state: this.state,
      appId: this.appId,
      botUser: this.botUser,
      gatewayUrl: () => this.gatewayUrl,
      cdnUrl: () => `http://127.0.0.1:${this.port}`,
      interactionWindowMs: options.interactionWindowMs ?? 3_000,
      nonceWindowMs: options.nonceWindowMs ?? 5 * 60_000,
    };
    const listener = createRestListener({
      token: this.token,
      routes: [...appRoutes(ctx), ...channelRoutes(ctx)],
      limiter: this.limiter,
      ...(this.globalLimiter ? { globalLimiter: this.globalLimiter } : {}),
      faults: this.faults,
      outage: this.outage,
      calls: this.calls,
      onEffect: (call) => {
        for (const listener of this.effectListeners) listener(call);
      },
    });
    this.gateway = new FakeGateway({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      readyData: () => ({
        user: this.botUser,
        guilds: [{ id: this.guildId, unavailable: true }],
        application: { id: this.appId, flags: 0 },
      }),
      guildCreates: () => [
        guildCreatePayload({
          guildId: this.guildId,
          botUser: this.botUser,
          roles: this.roles,
          state: this.state,
        }),
      ],
      resumeUrl: () => this.gatewayUrl,
    });
    this.server = createServer((req, res) => void listener(req, res));
    this.server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
  }

  async listen(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The REST base for discord.js `rest.api` and DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  setBuckets(table: BucketTable): void {
    this.limiter.configure(table);
  }

  addFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  /**
   * Calls `listener` with each successful request the moment it has taken effect, before its
   * answer leaves (a test can kill the bot right there). Returns the unsubscribe.
   */
  onEffect(listener: (call: RecordedCall) => void): () => void {
    this.effectListeners.add(listener);
    return () => this.effectListeners.delete(listener);
  }

  /** Calls whose route template is `route` (e.g. `POST /channels/:id/messages`). */
  callsTo(route: string): RecordedCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  messagesIn(channelId: string): FakeMessage[] {
    return this.state.messages.get(channelId) ?? [];
  }

  threadsOf(channelId: string): FakeChannel[] {
    return this.state.threadsOf(channelId);
  }

  /** The registered /<name> command (guild first), as the fake stored it. */
  registeredCommand(name = 'outage') {
    const scopes = [this.guildId, 'global'];
    for (const scope of scopes) {
      const found = this.state.commands.get(scope)?.find((c) => c.name === name);
      if (found) return found;
    }
    return undefined;
  }

  /** Dispatches INTERACTION_CREATE for a registered command; throws if it is not registered. */
  sendInteraction(input: InteractionInput, name = 'outage'): InteractionRecord {
    const command = this.registeredCommand(name);
    if (!command) throw new Error(`fake discord: /${name} is not registered`);
    return dispatchInteraction(this, (ids) => buildInteraction(ids, command, input));
  }

  /**
   * Presses a button on a message the bot sent (MESSAGE_COMPONENT, type 3) and waits for its
   * answer; throws if the message shows no such button. Default: an ordinary member.
   */
  async pressButton(press: ButtonPressInput, timeoutMs = 15_000): Promise<InteractionRecord> {
    const channel = this.state.channels.get(press.message.channel_id);
    if (!channel) throw new Error('fake discord: the message is in no channel');
    const record = dispatchInteraction(this, (ids) =>
      buildComponentInteraction(ids, {
        ...press,
        channel,
        permissions: press.permissions ?? PERMISSIONS.member,
      }),
    );
    await this.waitForAnswer(record, timeoutMs, `an answer to button ${press.customId}`);
    return record;
  }

  /**
   * Sends an interaction and waits until it has its final answer: an autocomplete result, a
   * reply, or (after a deferral) the edited original.
   */
  async interact(input: InteractionInput, timeoutMs = 15_000): Promise<InteractionRecord> {
    const record = this.sendInteraction(input);
    await this.waitForAnswer(record, timeoutMs, `an answer to /outage ${input.subcommand}`);
    return record;
  }

  private async waitForAnswer(record: InteractionRecord, timeoutMs: number, what: string) {
    await this.waitFor(() => isAnswered(record), { timeoutMs, what });
  }

  /** Polls `check` (sync or async) every 10 ms until it returns something truthy. */
  async waitFor<T>(
    check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
    opts: { timeoutMs?: number; what?: string } = {},
  ): Promise<T> {
    return waitUntil(check, opts);
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).listen();
}
