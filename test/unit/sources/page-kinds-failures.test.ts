import { describe, expect, it } from 'vitest';
import { createSource } from '../../../src/sources/registry.js';
import { startFixtureServer } from '../../fakes/fixture-server.js';
import { service, sourceDeps, TEST_LIMITS } from './helpers.js';
import { harnessPerTest, KIND_LAYOUT, writtenFixture } from './page-kinds.js';

/**
 * The status page kinds added beside Statuspage, each served its open-incident fixture with the
 * endpoint a poll cannot do without broken in one way: every one is a typed failure.
 */
const KINDS = ['incidentio', 'instatus', 'betterstack', 'statusio', 'cachet'] as const;

/** The endpoints whose failure must fail the poll. */
const REQUIRED: Record<(typeof KINDS)[number], string[]> = {
  incidentio: ['/api/v2/summary.json'],
  instatus: ['/summary.json'],
  betterstack: ['/index.json'],
  statusio: KIND_LAYOUT.statusio?.paths ?? [],
  cachet: ['/api/v1/incidents'],
};

describe.each(KINDS)('%s failures', (kind) => {
  const harness = harnessPerTest(kind);
  const broken = async (
    answer: Parameters<Awaited<ReturnType<typeof harness>>['server']['set']>[1],
  ) => {
    const h = await harness();
    h.serve('written-incident-open');
    for (const path of REQUIRED[kind]) h.server.set(path, answer);
    return h.poll();
  };

  it('HTTP 500', async () => {
    expect(await broken({ status: 500, body: 'boom' })).toEqual({
      ok: false,
      failure: { kind: 'http_status', status: 500, message: 'HTTP 500 Internal Server Error' },
    });
  });

  it('an HTML page with status 200', async () => {
    const result = await broken({
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><html><body>Status</body></html>',
    });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'bad_body', message: expect.stringContaining('HTML instead of JSON') },
    });
  });

  it('truncated JSON', async () => {
    const h = await harness();
    const bodies = writtenFixture(kind, 'written-incident-open');
    h.serve('written-incident-open');
    for (const path of REQUIRED[kind]) {
      const full = JSON.stringify(bodies[path] ?? {});
      h.server.set(path, { body: full.slice(0, Math.floor(full.length / 2)) });
    }
    expect(await h.poll()).toMatchObject({
      ok: false,
      failure: { kind: 'bad_body', message: expect.stringContaining('invalid JSON') },
    });
  });

  it('no complete answer within the deadline', async () => {
    const server = await startFixtureServer();
    try {
      server.setFallback({ hang: true });
      const url = (KIND_LAYOUT[kind]?.url ?? ((b: string) => b))(server.url);
      const deps = sourceDeps({ limits: { ...TEST_LIMITS, timeoutMs: 200 } });
      const source = createSource(service(url), { kind, url }, deps);
      expect(await source.poll()).toEqual({
        ok: false,
        failure: { kind: 'timeout', message: 'no complete answer within 200 ms' },
      });
    } finally {
      await server.close();
    }
  });

  it('sends If-None-Match once the page gave an ETag, and a 304 reuses the last parse', async () => {
    const h = await harness();
    const bodies = writtenFixture(kind, 'written-incident-open');
    for (const [path, body] of Object.entries(bodies)) {
      h.server.set(path, (req) =>
        req.headers['if-none-match'] === `"v1-${path}"`
          ? { status: 304 }
          : { headers: { etag: `"v1-${path}"` }, body: JSON.stringify(body) },
      );
    }
    const first = await h.snapshot();
    const second = await h.snapshot();
    expect(second).toEqual(first);
    const revalidated = h.server.requests.filter((r) => r.headers['if-none-match']);
    expect(revalidated.map((r) => r.path).sort()).toEqual(Object.keys(bodies).sort());
  });
});
