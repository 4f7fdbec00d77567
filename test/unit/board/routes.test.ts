import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { boardRoutes } from '../../../src/board/routes.js';
import { createMetrics } from '../../../src/http/metrics.js';
import { startHttpServer } from '../../../src/http/server.js';
import { emptyState, type ServiceState } from '../../../src/incidents/state.js';
import { MemoryCatalog } from '../../../src/sources/memory-catalog.js';
import { perTest } from '../../helpers/per-test.js';
import { catalogService } from '../../helpers/services.js';
import { createTestStore } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';

const TOKEN = 'board-token-for-the-unit-test';
const NOW = new Date();
const HOSTILE = '<img src=x onerror="alert(1)"> & @everyone';

/** The board's routes on the bot's real HTTP server over a real embedded store. */
describe('status board routes', () => {
  const t = perTest(
    () => createTestStore('embedded'),
    (s) => s.cleanup(),
  );
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function start(token?: string): Promise<string> {
    const catalog = new MemoryCatalog([
      catalogService('github', 'GitHub'),
      catalogService('quiet'),
    ]);
    const logger = pino({ level: 'silent' });
    server = await startHttpServer({
      port: 0,
      logger,
      metrics: createMetrics(),
      ready: async () => true,
      routes: boardRoutes({ store: t.store, catalog, now: () => NOW, logger, token }),
      triggerPoll: () => false,
    });
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async function followGithubWithAnOpenIncident(): Promise<void> {
    const startedAt = new Date(NOW.getTime() - 3_600_000).toISOString();
    const state: ServiceState = {
      ...emptyState('github'),
      baselined: true,
      baselineAt: startedAt,
      lastPollAt: NOW.toISOString(),
      health: { consecutiveFailures: 0, lastOkAt: NOW.toISOString() },
    };
    const subject = {
      kind: 'incident' as const,
      id: 'inc1',
      title: HOSTILE,
      status: 'investigating' as const,
      impact: 'critical' as const,
      components: [],
      startedAt,
      url: 'javascript:alert(1)',
      origin: 'status_page' as const,
    };
    state.subjects.inc1 = { subject, seenUpdateIds: [], missingPolls: 0 };
    await t.store.commitPoll(state, []);
    const update = {
      id: 'u1',
      status: 'investigating' as const,
      body: '<b>boom</b>',
      at: startedAt,
    };
    await t.store.history.record('github', [{ ...subject, updates: [update] }], NOW.getTime());
    const channel = {
      platform: 'slack' as const,
      workspaceId: 'T0SECRETWS',
      channelId: 'C0SECRET',
    };
    await t.store.putSubscription(subscription({ channel, createdBy: 'U0SECRETUSER' }));
  }

  it('escapes what status pages say, drops unsafe links and shows nothing about channels', async () => {
    await followGithubWithAnOpenIncident();
    const base = await start();
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; @everyone');
    expect(html).toContain('&lt;b&gt;boom&lt;/b&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).not.toMatch(/SECRET/);
    expect(html).toContain('Critical outage');
    // Only followed services: `quiet` is in the catalog, but no channel follows it.
    expect(html).toContain('1 service followed, 1 with open incidents');
    expect((await fetch(`${base}/services/github`)).status).toBe(200);
    expect((await fetch(`${base}/services/quiet`)).status).toBe(404);
    expect((await fetch(`${base}/services/no%20such`)).status).toBe(404);
  });

  it('asks for BOARD_TOKEN; a page opened with ?token= keeps it in its links', async () => {
    await followGithubWithAnOpenIncident();
    const base = await start(TOKEN);
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/services/github?token=nope`)).status).toBe(401);
    const header = await fetch(`${base}/`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(header.status).toBe(200);
    expect(await header.text()).toContain('href="/services/github"');
    const query = await (await fetch(`${base}/?token=${TOKEN}`)).text();
    expect(query).toContain(`href="/services/github?token=${TOKEN}"`);
  });

  it('says the store did not answer instead of showing a stale or empty board', async () => {
    await followGithubWithAnOpenIncident();
    const base = await start();
    await t.store.close();
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('status board unavailable: the store did not answer\n');
  });
});
