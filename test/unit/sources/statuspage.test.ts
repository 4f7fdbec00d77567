import { describe, expect, it } from 'vitest';
import type { PollResult, Snapshot, SourceFailureKind } from '../../../src/incidents/model.js';
import type { SourceDeps } from '../../../src/sources/source.js';
import { StatuspageSource } from '../../../src/sources/statuspage.js';
import type { FailureMode } from '../../fakes/status-server.js';
import {
  fakeLookup,
  fakePagePerTest,
  service,
  sourceDeps,
  startStaticServer,
  TEST_LIMITS,
} from './helpers.js';

const acme = fakePagePerTest();

const sourceFor = (url: string, deps: Partial<SourceDeps> = {}, trusted = true) =>
  new StatuspageSource(service(url, { trusted }), { kind: 'statuspage', url }, sourceDeps(deps));

function snapshot(result: PollResult): Snapshot {
  if (!result.ok || result.notModified)
    throw new Error(`expected a snapshot, got ${JSON.stringify(result)}`);
  return result.snapshot;
}

describe('StatuspageSource against the fake page', () => {
  it('walks an incident from investigating to resolved', async () => {
    const source = sourceFor(acme.page.url);
    acme.page.setComponent('API', 'operational', { group: 'Core' });
    acme.page.setComponent('Web', 'operational');
    const id = acme.page.setIncident({
      name: 'API errors',
      impact: 'major',
      body: 'Looking into it.<br />More soon &amp; thanks',
      components: ['API'],
      componentStatus: 'partial_outage',
    });

    let snap = snapshot(await source.poll());
    expect(snap.components).toEqual([
      { id: expect.any(String), name: 'API', status: 'partial_outage', group: 'Core' },
      { id: expect.any(String), name: 'Web', status: 'operational' },
    ]);
    expect(snap.incidents).toEqual([
      {
        id,
        title: 'API errors',
        status: 'investigating',
        impact: 'major',
        components: ['API'],
        updates: [
          {
            id: expect.any(String),
            status: 'investigating',
            body: 'Looking into it.\nMore soon & thanks',
            at: '2026-10-01T10:00:00.000Z',
          },
        ],
        startedAt: '2026-10-01T10:00:00.000Z',
        url: `${acme.page.url}/incidents/${id}`,
        origin: 'status_page',
      },
    ]);
    expect(snap.resolutionsKnown).toBe(true);

    acme.clock = new Date('2026-10-01T10:10:00.000Z');
    acme.page.setIncident({ id, status: 'identified', body: 'Found it' });
    snap = snapshot(await source.poll());
    expect(snap.incidents[0]?.updates.map((u) => u.status)).toEqual([
      'investigating',
      'identified',
    ]);

    acme.clock = new Date('2026-10-01T10:20:00.000Z');
    acme.page.resolveIncident(id, 'Fixed');
    snap = snapshot(await source.poll());
    expect(snap.incidents[0]).toMatchObject({
      id,
      status: 'resolved',
      resolvedAt: '2026-10-01T10:20:00.000Z',
    });
    expect(snap.components[0]?.status).toBe('operational');
  });

  it('maps postmortem to resolved, maintenance impact to none, verifying to in_progress', async () => {
    const source = sourceFor(acme.page.url);
    const id = acme.page.setIncident({ name: 'Old', impact: 'maintenance', body: 'x' });
    acme.page.setIncident({ id, status: 'postmortem', body: 'Write-up' });
    acme.page.setMaintenance({
      name: 'Upgrade',
      status: 'verifying',
      body: 'checking',
      components: ['DB'],
    });
    const snap = snapshot(await source.poll());
    expect(snap.incidents[0]).toMatchObject({
      status: 'resolved',
      impact: 'none',
      resolvedAt: '2026-10-01T10:00:00.000Z',
    });
    expect(snap.incidents[0]?.updates.at(-1)?.status).toBe('resolved');
    expect(snap.maintenances).toMatchObject([
      { title: 'Upgrade', status: 'in_progress', impact: 'none', components: ['DB'] },
    ]);
  });

  it('uses conditional GET: the second poll gets 304s and reuses the last bodies', async () => {
    const source = sourceFor(acme.page.url);
    acme.page.setIncident({ name: 'Open', body: 'x' });
    const first = snapshot(await source.poll());
    const second = snapshot(await source.poll());
    expect(second).toEqual(first);

    const summaryRequests = acme.page.requests.filter((r) => r.endpoint === 'summary');
    expect(summaryRequests).toHaveLength(2);
    expect(summaryRequests[0]?.headers['if-none-match']).toBeUndefined();
    expect(summaryRequests[1]?.headers['if-none-match']).toMatch(/^"[0-9a-f]{40}"$/);
    expect(summaryRequests[1]?.headers['if-modified-since']).toBeDefined();
    expect(summaryRequests[1]?.headers['user-agent']).toBe('outage-bot-test');
    expect(summaryRequests.map((r) => r.status)).toEqual([200, 304]);
    const incidentsRequests = acme.page.requests.filter((r) => r.endpoint === 'incidents');
    expect(incidentsRequests.map((r) => r.status)).toEqual([200, 304]);

    acme.clock = new Date('2026-10-01T10:05:00.000Z');
    acme.page.setIncident({ name: 'Another', body: 'y' });
    const third = snapshot(await source.poll());
    expect(third.incidents.map((i) => i.title).sort()).toEqual(['Another', 'Open']);
  });

  it('a 304 with nothing cached is a typed failure, not an empty page', async () => {
    const server = await startStaticServer({
      '/api/v2/summary.json': { status: 304 },
      '/api/v2/incidents.json': { body: '{"incidents":[]}' },
    });
    try {
      expect(await sourceFor(server.url).poll()).toMatchObject({
        ok: false,
        failure: { kind: 'http_status', status: 304 },
      });
    } finally {
      await server.close();
    }
  });

  const limits = { ...TEST_LIMITS, timeoutMs: 300 };
  it.each<[FailureMode, SourceFailureKind]>([
    ['hang', 'timeout'],
    ['slow', 'timeout'],
    ['error500', 'http_status'],
    ['html', 'bad_body'],
    ['huge', 'too_large'],
    ['truncated', 'bad_body'],
    ['redirect_loop', 'http_status'],
    ['reset', 'network'],
  ])('summary %s -> the poll fails with %s', async (mode, kind) => {
    acme.page.setIncident({ name: 'Open', body: 'x' });
    acme.page.fail('summary', mode);
    const result = await sourceFor(acme.page.url, { limits }).poll();
    expect(result).toMatchObject({ ok: false, failure: { kind } });
  });

  it.each<FailureMode>(['hang', 'error500', 'html', 'truncated'])(
    'incidents.json %s -> snapshot of open incidents with resolutionsKnown false',
    async (mode) => {
      const id = acme.page.setIncident({ name: 'Open', body: 'x' });
      acme.page.fail('incidents', mode);
      const snap = snapshot(await sourceFor(acme.page.url, { limits }).poll());
      expect(snap.resolutionsKnown).toBe(false);
      expect(snap.incidents.map((i) => [i.id, i.status])).toEqual([[id, 'investigating']]);
    },
  );

  it('a failed poll after a good one keeps the cache: the next good poll still works', async () => {
    const source = sourceFor(acme.page.url);
    acme.page.setIncident({ name: 'Open', body: 'x' });
    snapshot(await source.poll());
    acme.page.fail('summary', 'html', { times: 1 });
    expect(await source.poll()).toMatchObject({
      ok: false,
      failure: { kind: 'bad_body', message: expect.stringMatching(/HTML/) },
    });
    expect(snapshot(await source.poll()).incidents).toHaveLength(1);
  });

  it('refuses a private page for an untrusted service unless private URLs are allowed', async () => {
    const lookup = fakeLookup({});
    const refused = await sourceFor(acme.page.url, { lookup }, false).poll();
    expect(refused).toMatchObject({
      ok: false,
      failure: { kind: 'network', message: expect.stringMatching(/^refused/) },
    });
    expect(acme.page.requestCount('summary')).toBe(0);
    const allowed = await sourceFor(
      acme.page.url,
      { lookup, allowPrivateUrls: true },
      false,
    ).poll();
    expect(allowed.ok).toBe(true);
  });

  it('never throws, even when the injected fetch does', async () => {
    const source = sourceFor('https://status.example.com', {
      fetch: () => {
        throw new Error('kaboom');
      },
    });
    expect(await source.poll()).toMatchObject({
      ok: false,
      failure: { kind: 'network', message: 'kaboom' },
    });
  });
});
