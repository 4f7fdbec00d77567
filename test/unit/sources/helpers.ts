import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach } from 'vitest';
import type { Service } from '../../../src/incidents/model.js';
import type { LookupAll } from '../../../src/sources/public-address.js';
import type { FetchLimits, SourceDeps } from '../../../src/sources/source.js';
import { type StatusServer, startStatusServer } from '../../fakes/status-server.js';
import { catalogService } from '../../helpers/services.js';

export const FIXED_NOW = new Date('2026-10-01T12:00:00.000Z');

export const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/statuspage/${name}`, import.meta.url), 'utf8');

export const TEST_LIMITS: FetchLimits = {
  timeoutMs: 2_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 3,
};

export function sourceDeps(overrides: Partial<SourceDeps> = {}): SourceDeps {
  return {
    fetch: globalThis.fetch,
    now: () => FIXED_NOW,
    logger: pino({ level: 'silent' }),
    limits: TEST_LIMITS,
    userAgent: 'outage-bot-test',
    ...overrides,
  };
}

export function service(url: string, overrides: Partial<Service> = {}): Service {
  return catalogService('acme', 'Acme', { url, ...overrides });
}

export interface PageFixture {
  page: StatusServer;
  /** The fake page's clock; set it to date what changes next. */
  clock: Date;
}

/** A fresh fake 'Acme' page for each test, its clock at 2026-10-01 10:00 UTC; closed after it. */
export function fakePagePerTest(): PageFixture {
  const fixture = {} as PageFixture;
  beforeEach(async () => {
    fixture.clock = new Date('2026-10-01T10:00:00.000Z');
    fixture.page = await startStatusServer({ name: 'Acme', now: () => fixture.clock });
  });
  afterEach(() => fixture.page.close());
  return fixture;
}

/** A DNS stand-in: hostname -> addresses; unknown names fail like ENOTFOUND. */
export function fakeLookup(table: Record<string, string[]>): LookupAll {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

export interface Route {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface StaticServer {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

/** A plain local HTTP server answering fixed routes; for payloads the fake page cannot produce. */
export async function startStaticServer(
  routes: Record<string, Route | ((req: IncomingMessage) => Route)>,
): Promise<StaticServer> {
  const hits: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    hits.push(path);
    const entry = routes[path];
    const route = typeof entry === 'function' ? entry(req) : entry;
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    res
      .writeHead(route.status ?? 200, { 'content-type': 'application/json', ...route.headers })
      .end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
