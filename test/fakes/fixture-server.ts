import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One canned answer. `hang` keeps the request open until the server closes (timeouts). */
export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  hang?: boolean;
}

/** An answer, or a function of the request (to honour If-None-Match, say). */
export type FixtureRoute = FixtureResponse | ((req: IncomingMessage) => FixtureResponse);

export interface FixtureServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Replace (or with `undefined`, remove) the answer at a path; takes effect on the next request. */
  set(path: string, route: FixtureRoute | undefined): void;
  /** The answer for every path that has none of its own (default: 404). */
  setFallback(route: FixtureRoute | undefined): void;
  /** Requests seen at a path (query ignored); with no path, at all paths. */
  count(path?: string): number;
  /** Every request in order, with the headers it carried. */
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/**
 * A real local HTTP server serving a map path -> {status, headers, body}, changeable between
 * requests, counting requests. Paths match without the query string, unless a route is set for
 * the exact path with its query. JSON content type unless the route says otherwise.
 */
export async function startFixtureServer(
  routes: Record<string, FixtureRoute> = {},
): Promise<FixtureServer> {
  const table = new Map(Object.entries(routes));
  let fallback: FixtureRoute | undefined;
  const requests: FixtureServer['requests'] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const full = req.url ?? '/';
    const path = full.split('?')[0] ?? '/';
    requests.push({ path, headers: req.headers });
    const entry = table.get(full) ?? table.get(path) ?? fallback;
    const answer = typeof entry === 'function' ? entry(req) : entry;
    if (!answer) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (answer.hang) {
      hanging.add(res);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.write('{');
      return;
    }
    res
      .writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers })
      .end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set(path, route) {
      if (route === undefined) table.delete(path);
      else table.set(path, route);
    },
    setFallback(route) {
      fallback = route;
    },
    count: (path) => (path ? requests.filter((r) => r.path === path).length : requests.length),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
