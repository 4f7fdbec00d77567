/**
 * The fake's HTTP side: a node:http request listener serving `/api/v10/...`. It records every
 * call, checks `Authorization: Bot <token>` on bot routes (interaction callbacks and interaction
 * webhooks carry none, as on Discord), applies per-route rate limits and the faults a test
 * queued, then hands the request to a route from routes-app.ts or routes-channels.ts.
 */

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ChatOutage } from '../chat-outage.js';
import { fileLimitError, parseBody, type UploadedFile } from './attachments.js';
import type { FaultTable, GlobalLimiter, RateLimiter } from './limits.js';

export interface RestRequest {
  method: string;
  /** Path after `/api/v10`, e.g. `/channels/123/messages`. */
  path: string;
  params: string[];
  query: URLSearchParams;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the client under test, checked per route
  body: any;
  /** Files of a multipart request (attachments.ts). */
  files: UploadedFile[];
  headers: IncomingHttpHeaders;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteDef {
  method: string;
  /** `/channels/:id/messages`; each `:x` matches one path segment. */
  pattern: string;
  /** Bot routes need the bot token; interaction routes are authenticated by their URL token. */
  auth: 'bot' | 'none';
  /** Interaction callbacks are exempt from rate limits. */
  limited?: boolean;
  handle(req: RestRequest): RestResponse | Promise<RestResponse>;
}

export interface RecordedCall {
  at: number;
  method: string;
  path: string;
  /** `POST /channels/:id/messages`: the route template, also the rate-limit bucket name. */
  route: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Files of a multipart request, bytes included. */
  files?: UploadedFile[];
  /** The status the fake answered. */
  status: number;
}

export const json = (body: unknown, status = 200): RestResponse => ({ status, body });
export const apiError = (status: number, code: number, message: string): RestResponse => ({
  status,
  body: { message, code },
});

interface CompiledRoute extends RouteDef {
  regex: RegExp;
  template: string;
}

const compile = (route: RouteDef): CompiledRoute => {
  const source = route.pattern
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '([^/]+)' : seg.replace(/[.@]/g, (c) => `\\${c}`)))
    .join('/');
  const template = route.pattern.replace(/:[a-z]+/gi, ':id');
  return { ...route, regex: new RegExp(`^${source}$`), template: `${route.method} ${template}` };
};

const MAJOR = /^\/(?:channels|guilds|webhooks)\/([^/]+)/;

export interface RestServerDeps {
  token: string;
  routes: RouteDef[];
  limiter: RateLimiter;
  /** The per-bot limit across routes; none when omitted. */
  globalLimiter?: GlobalLimiter;
  faults: FaultTable;
  /** While it is on, every REST request answers 500 or hangs (chat-outage.ts). */
  outage?: ChatOutage;
  calls: RecordedCall[];
  /** Told of each request once it has taken effect, before its answer (and any delay) goes out. */
  onEffect?: (call: RecordedCall) => void;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, out: RestResponse): void {
  const headers: Record<string, string> = { ...out.headers };
  if (out.status === 204 || out.body === undefined) {
    res.writeHead(out.status, headers).end();
    return;
  }
  headers['content-type'] = 'application/json';
  res.writeHead(out.status, headers).end(JSON.stringify(out.body));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds the request listener for `node:http`. */
export function createRestListener(deps: RestServerDeps) {
  const routes = deps.routes.map(compile);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const { body, files } = await parseBody(req.headers['content-type'], await readRaw(req));
    // discord.js percent-encodes segments (`%40original`); routes match the decoded form.
    const path = url.pathname
      .replace(/^\/api\/v10/, '')
      .split('/')
      .map((seg) => safeDecode(seg))
      .join('/');
    const call: RecordedCall = {
      at: Date.now(),
      method,
      path,
      route: `${method} ${path}`,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      ...(files.length > 0 ? { files } : {}),
      status: 0,
    };
    deps.calls.push(call);
    const reply = (out: RestResponse) => {
      call.status = out.status;
      send(res, out);
    };

    const down = deps.outage?.active;
    if (deps.outage?.intercept(res, '{"message": "Server Error", "code": 0}', 'application/json')) {
      call.status = down === 'error' ? 500 : 0;
      return;
    }
    if (!url.pathname.startsWith('/api/v10/')) return reply(apiError(404, 0, '404: Not Found'));
    const route = routes.find((r) => r.method === method && r.regex.test(path));
    if (!route) return reply(apiError(404, 0, `404: Not Found (${method} ${path})`));
    call.route = route.template;
    if (route.auth === 'bot' && req.headers.authorization !== `Bot ${deps.token}`) {
      return reply(apiError(401, 0, '401: Unauthorized'));
    }

    const tooBig = fileLimitError(files);
    if (tooBig) return reply(tooBig);

    let limitHeaders: Record<string, string> = {};
    if (route.limited !== false) {
      const globalWait = deps.globalLimiter?.take();
      if (globalWait !== undefined) return reply(rateLimited(globalWait, {}, true));
      const verdict = deps.limiter.take(route.template, MAJOR.exec(path)?.[1] ?? 'global');
      limitHeaders = verdict.headers;
      if (!verdict.ok) return reply(rateLimited(verdict.retryAfterS, limitHeaders));
    }

    const rule = deps.faults.pick(route.template, { method, path, body });
    const fault = rule?.fault;
    const afterEffect = rule?.afterEffect === true;
    if (fault && !afterEffect) {
      if (fault.kind === 'delay') await sleep(fault.ms);
      else return reply(faultResponse(fault, limitHeaders));
    }

    const params = (route.regex.exec(path) ?? []).slice(1);
    const restReq = {
      method,
      path,
      params,
      query: url.searchParams,
      body,
      files,
      headers: req.headers,
    };
    let out: RestResponse;
    try {
      out = await route.handle(restReq);
    } catch (error) {
      out = apiError(500, 0, `fake crashed: ${(error as Error).message}`);
    }
    if (out.status < 300) deps.onEffect?.(call);
    // The request has taken effect: a delay now holds only the answer, a fault replaces it.
    if (fault && afterEffect) {
      if (fault.kind === 'delay') await sleep(fault.ms);
      else return reply(faultResponse(fault, limitHeaders));
    }
    reply({ ...out, headers: { ...limitHeaders, ...out.headers } });
  };
}

function rateLimited(retryAfterS: number, headers: Record<string, string>, global = false) {
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfterS, global },
    headers: {
      ...headers,
      'Retry-After': String(Math.max(retryAfterS, 0)),
      'X-RateLimit-Scope': global ? 'global' : 'user',
      ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
    },
  };
}

function faultResponse(
  fault: Exclude<NonNullable<ReturnType<FaultTable['pick']>>['fault'], { kind: 'delay' }>,
  headers: Record<string, string>,
): RestResponse {
  switch (fault.kind) {
    case 'rate_limit':
      return rateLimited(fault.retryAfterS, headers, fault.global);
    case 'server_error':
      return { status: fault.status, body: { message: 'Server Error', code: 0 } };
    case 'api_error':
      return { ...apiError(fault.status, fault.code, fault.message), headers };
  }
}
