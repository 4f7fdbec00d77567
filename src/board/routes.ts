import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { HttpRoute } from '../delivery/chat-adapter.js';
import { requestCredential, sameSecret } from '../http/credentials.js';
import { type BoardDeps, readBoard, readServiceBoard } from './board-data.js';
import type { Links } from './render-bars.js';
import { boardView, serviceView } from './views.js';

export interface BoardOptions extends BoardDeps {
  logger: Logger;
  /** BOARD_TOKEN: when set, every board page asks for it. */
  token?: string | undefined;
}

const SERVICE_PATH = /^\/services\/([a-z0-9][a-z0-9-]{0,63})$/;

/**
 * No script may run and nothing may load: the pages are self-contained, and a status page's text
 * that slipped through escaping still could not act. No referrer leaves with a `?token=`.
 */
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** The status board's routes, the one place they are registered (src/app.ts serves them). */
export function boardRoutes(options: BoardOptions): HttpRoute[] {
  return [
    { method: 'GET', path: '/', handle: (req, res) => serve(options, req, res) },
    { method: 'GET', path: '/services/*', handle: (req, res) => serve(options, req, res) },
  ];
}

async function serve(options: BoardOptions, req: IncomingMessage, res: ServerResponse) {
  req.resume();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const given = requestCredential(req, url);
  if (options.token && (!given || !sameSecret(given.token, options.token))) {
    // The path only: the query may carry a wrong token.
    options.logger.warn({ path: url.pathname, credential: given?.from ?? 'none' }, 'board refused');
    res.writeHead(401, {
      'content-type': 'text/plain; charset=utf-8',
      'www-authenticate': 'Bearer',
    });
    res.end('unauthorized: the status board needs its token (Authorization: Bearer or ?token=)\n');
    return;
  }
  const links = linksFor(given?.from === 'query' ? given.token : undefined);
  const nowIso = options.now().toISOString();
  try {
    if (url.pathname === '/') {
      return page(res, 200, boardView(await readBoard(options), nowIso, links));
    }
    const id = SERVICE_PATH.exec(url.pathname)?.[1];
    const board = id ? await readServiceBoard(options, id) : undefined;
    if (!board) return notFound(res);
    return page(res, 200, serviceView(board, nowIso, links));
  } catch (err) {
    options.logger.error({ err, path: url.pathname }, 'status board could not be read');
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' });
    res.end('status board unavailable: the store did not answer\n');
  }
}

/** A page opened with `?token=` keeps it in its links, so following them needs no header. */
function linksFor(queryToken: string | undefined): Links {
  return {
    href(path, fragment) {
      const query = queryToken ? `?token=${encodeURIComponent(queryToken)}` : '';
      return `${path}${query}${fragment ? `#${fragment}` : ''}`;
    },
  };
}

function page(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, HEADERS);
  res.end(html);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('no followed service by that id\n');
}
