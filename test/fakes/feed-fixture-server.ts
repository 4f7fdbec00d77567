import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One canned answer. `hang` never answers (for timeouts); `body` may be bytes (UTF-16). */
export interface FixtureRoute {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  hang?: boolean;
}

export interface FixtureRequest {
  path: string;
  headers: IncomingMessage['headers'];
  status: number;
}

export interface FeedFixtureServer {
  url: string;
  /** Replaces what `path` answers from the next request on. */
  set(path: string, route: FixtureRoute): void;
  requests: FixtureRequest[];
  count(path: string): number;
  close(): Promise<void>;
}

const etagOf = (body: string | Uint8Array) =>
  `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;

/**
 * A local HTTP server answering path -> route, changeable between requests. 200 answers get an
 * ETag of their body and a matching If-None-Match gets a 304, as real CDNs do, so conditional
 * requests are exercised for real.
 */
export async function startFeedFixtureServer(
  routes: Record<string, FixtureRoute> = {},
): Promise<FeedFixtureServer> {
  const table = new Map(Object.entries(routes));
  const requests: FixtureRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const route = table.get(path);
    if (!route) {
      requests.push({ path, headers: req.headers, status: 404 });
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (route.hang) {
      requests.push({ path, headers: req.headers, status: 0 });
      return;
    }
    const body = route.body ?? '';
    const status = route.status ?? 200;
    const etag = etagOf(body);
    if (status === 200 && req.headers['if-none-match'] === etag) {
      requests.push({ path, headers: req.headers, status: 304 });
      res.writeHead(304, { etag }).end();
      return;
    }
    requests.push({ path, headers: req.headers, status });
    const headers = status === 200 ? { etag, ...route.headers } : { ...route.headers };
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (path, route) => table.set(path, route),
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
