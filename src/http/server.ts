import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { HttpRoute } from '../delivery/chat-adapter.js';
import { requestCredential, sameSecret } from './credentials.js';
import type { Metrics } from './metrics.js';

export interface HttpServerOptions {
  port: number;
  logger: Logger;
  metrics: Metrics;
  /** Readiness: the store answers and the adapters are up. */
  /** True when ready; false, or the reason, when not (`the bot is offline`). */
  ready: () => Promise<boolean | string>;
  /** Routes contributed by adapters (Slack's /slack/events). */
  routes: readonly HttpRoute[];
  /** Webhook push from a status page: poll this service now. */
  triggerPoll: (serviceId: string) => boolean;
  /**
   * Required on /webhooks/... as `Authorization: Bearer <token>` or, for status pages that can
   * only call a URL, `?token=`; webhooks are refused when unset.
   */
  webhookToken?: string;
}

const WEBHOOK_PATH = /^\/webhooks\/([a-z0-9][a-z0-9-]{0,63})$/;

/** The bot's one HTTP port: health, readiness, metrics, webhook triggers and adapter routes. */
export async function startHttpServer(options: HttpServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((err: unknown) => {
      // The path only: a query string may carry a webhook token.
      const path = (req.url ?? '/').split('?')[0];
      options.logger.error({ err, path }, 'http handler failed');
      if (!res.headersSent) send(res, 500, 'internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

async function handle(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = options.routes.find(
    (r) => r.method === req.method && routeMatches(r.path, url.pathname),
  );
  if (route) {
    await route.handle(req, res);
    return;
  }
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, 'ok\n');
  if (req.method === 'GET' && url.pathname === '/readyz') {
    const ready = await options.ready().catch(() => false);
    if (ready === true) return send(res, 200, 'ready\n');
    return send(res, 503, typeof ready === 'string' ? `not ready: ${ready}\n` : 'not ready\n');
  }
  if (req.method === 'GET' && url.pathname === '/metrics') {
    const body = await options.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
    res.end(body);
    return;
  }
  const webhook = WEBHOOK_PATH.exec(url.pathname);
  if (req.method === 'POST' && webhook?.[1]) {
    req.resume();
    const given = requestCredential(req, url);
    // Logged: the path and where a credential came from, never the credential or the query.
    const line = { path: url.pathname, credential: given?.from ?? 'none' };
    if (!options.webhookToken || !given || !sameSecret(given.token, options.webhookToken)) {
      options.logger.warn({ ...line, status: 401 }, 'webhook refused');
      return send(res, 401, 'unauthorized\n');
    }
    // The payload itself is not trusted: it only says "look now", the poll reads the real feed.
    const known = options.triggerPoll(webhook[1]);
    options.logger.info({ ...line, status: known ? 202 : 404 }, 'webhook');
    return send(res, known ? 202 : 404, known ? 'poll scheduled\n' : 'unknown service\n');
  }
  req.resume();
  send(res, 404, 'not found\n');
}

/** `/services/*` matches every path under `/services/`; other paths match exactly. */
function routeMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}
