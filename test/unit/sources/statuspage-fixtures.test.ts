import { afterEach, describe, expect, it } from 'vitest';
import type { PollResult, Snapshot } from '../../../src/incidents/model.js';
import { StatuspageSource } from '../../../src/sources/statuspage.js';
import {
  FIXED_NOW,
  fixture,
  type Route,
  type StaticServer,
  service,
  sourceDeps,
  startStaticServer,
} from './helpers.js';

/** Real recorded payloads, served over real HTTP, through the real source. */

let server: StaticServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function pollWith(summary: Route, incidents: Route): Promise<PollResult> {
  server = await startStaticServer({
    '/api/v2/summary.json': summary,
    '/api/v2/incidents.json': incidents,
  });
  const source = new StatuspageSource(
    service(server.url),
    { kind: 'statuspage', url: server.url },
    sourceDeps(),
  );
  return source.poll();
}

async function snapshotOf(summary: Route, incidents: Route): Promise<Snapshot> {
  const result = await pollWith(summary, incidents);
  if (!result.ok || result.notModified) throw new Error(`poll failed: ${JSON.stringify(result)}`);
  return result.snapshot;
}

const EMPTY_LIST: Route = { body: '{"incidents": []}' };

describe('statuspage fixtures', () => {
  it('GitHub healthy summary + real incidents.json: resolved history, oldest-first updates', async () => {
    const snap = await snapshotOf(
      { body: fixture('github-summary-all-operational-2024-02-05.json') },
      { body: fixture('github-incidents-2024-09-16.json') },
    );
    expect(snap).toMatchObject({
      serviceId: 'acme',
      fetchedAt: FIXED_NOW.toISOString(),
      resolutionsKnown: true,
      pageUrl: 'https://www.githubstatus.com',
      maintenances: [],
    });
    expect(snap.components).toHaveLength(11);
    expect(snap.components[0]).toEqual({
      id: '8l4ygp009s5s',
      name: 'Git Operations',
      status: 'operational',
    });
    expect(snap.components.every((c) => c.status === 'operational' && c.group === undefined)).toBe(
      true,
    );

    expect(snap.incidents.map((i) => i.id)).toEqual(['69sb0f8lydp4', 'r3x7x31k7nn1']);
    const [pages, ssh] = snap.incidents;
    expect(pages).toMatchObject({
      title: 'Incident with Pages and Actions',
      status: 'resolved',
      impact: 'major',
      components: ['Actions', 'Pages'],
      startedAt: '2024-09-16T21:31:02.713Z',
      resolvedAt: '2024-09-16T22:08:39.333Z',
      url: 'https://www.githubstatus.com/incidents/69sb0f8lydp4',
      origin: 'status_page',
    });
    expect(pages?.updates.map((u) => u.id)).toEqual([
      '9lpqk4965mzb',
      'r8yz2fpy4ss8',
      'x6m13rp5rqzz',
      'h3jcv314m9fg',
      'mfrjlr89z2dk',
      'gv96mtfg46fj',
    ]);
    expect(pages?.updates[0]).toEqual({
      id: '9lpqk4965mzb',
      status: 'investigating',
      body: 'We are investigating reports of degraded performance for Actions and Pages',
      at: '2024-09-16T21:31:02.798Z',
    });
    expect(pages?.updates.at(-1)?.status).toBe('resolved');
    // No components on the incident and affected_components null on every update.
    expect(ssh).toMatchObject({ status: 'resolved', impact: 'minor', components: [] });
  });

  it('Statuspage docs example: -06:00 offsets to UTC, incident and both maintenances', async () => {
    const snap = await snapshotOf(
      { body: fixture('docs-example-summary-incident-and-maintenances.json') },
      EMPTY_LIST,
    );
    expect(snap.components).toEqual([
      { id: 'b13yz5g2cw10', name: 'API', status: 'partial_outage' },
      { id: '9397cnvk62zn', name: 'Management Portal', status: 'major_outage' },
    ]);
    expect(snap.incidents).toEqual([
      {
        id: 'cp306tmzcl0y',
        title: 'Unplanned Database Outage',
        status: 'identified',
        impact: 'critical',
        components: [],
        updates: [
          {
            id: 'jdy3tw5mt5r5',
            status: 'identified',
            body: expect.stringMatching(/^Our master database has ham sandwiches/),
            at: '2014-05-14T20:22:40.301Z',
          },
        ],
        startedAt: '2014-05-14T20:22:39.441Z',
        url: 'https://www.githubstatus.com/incidents/cp306tmzcl0y',
        origin: 'status_page',
      },
    ]);
    expect(snap.maintenances).toMatchObject([
      {
        id: 'w1zdr745wmfy',
        title: 'Network Maintenance (No Interruption Expected)',
        status: 'scheduled',
        impact: 'none',
        scheduledFor: '2014-05-18T04:00:00.000Z',
        scheduledUntil: '2014-05-18T05:30:00.000Z',
      },
      {
        id: 'k7mf5z1gz05c',
        status: 'in_progress',
        impact: 'minor',
        scheduledFor: '2014-05-14T20:30:00.000Z',
      },
    ]);
    expect(snap.maintenances[1]?.updates.map((u) => [u.id, u.status])).toEqual([
      ['z40y7398jqxc', 'scheduled'],
      ['drs62w8df6fs', 'in_progress'],
    ]);
  });

  it('indicator "none" with an open minor incident: the incident is still reported', async () => {
    const snap = await snapshotOf(
      { body: fixture('github-summary-open-incident-indicator-none-2026-09-23-trimmed.json') },
      EMPTY_LIST,
    );
    expect(snap.incidents).toHaveLength(1);
    const [incident] = snap.incidents;
    expect(incident).toMatchObject({
      id: '8zc63m64hy36',
      status: 'investigating',
      impact: 'minor',
      components: ['API Requests'],
      startedAt: '2026-09-23T10:11:12.836Z',
    });
    expect(incident?.resolvedAt).toBeUndefined();
    // No update id in the feed: derived from time and body, stable across polls.
    expect(incident?.updates[0]?.id).toMatch(/^2026-09-23T13:35:44\.672Z:[0-9a-f]{12}$/);
    const again = await snapshotOf(
      { body: fixture('github-summary-open-incident-indicator-none-2026-09-23-trimmed.json') },
      EMPTY_LIST,
    );
    expect(again.incidents[0]?.updates[0]?.id).toBe(incident?.updates[0]?.id);
  });

  it('incident.io compat: null arrays, no components, ULIDs, update without id', async () => {
    const recorded = JSON.parse(
      fixture('incidentio-openai-compat-incident-resolved-2026-09-23-trimmed.json'),
    );
    const snap = await snapshotOf(
      {
        body: JSON.stringify({
          page: {
            id: '01JMBZ7R6VXK8Q2C0Y5NS0PE0D',
            name: 'OpenAI',
            url: 'https://status.openai.com',
          },
          status: { indicator: 'none', description: 'All Systems Operational' },
          components: [{ id: '01JMBZ7R6V', name: 'Login', status: 'operational' }],
          incidents: null,
          scheduled_maintenances: null,
        }),
      },
      { body: JSON.stringify({ page: null, incidents: [recorded] }) },
    );
    expect(snap.components).toEqual([{ id: '01JMBZ7R6V', name: 'Login', status: 'operational' }]);
    expect(snap.maintenances).toEqual([]);
    expect(snap.incidents).toMatchObject([
      {
        id: '01M36RMC01ZFWQ861WYJKC4XE1',
        title: 'Elevated Error Rates for ChatGPT across Plus and Pro plans.',
        status: 'resolved',
        impact: 'minor',
        components: [],
        startedAt: '2026-09-23T09:13:00.000Z',
        resolvedAt: '2026-09-23T09:54:16.000Z',
        url: 'https://status.openai.com/incidents/01M36RMC01ZFWQ861WYJKC4XE1',
        updates: [
          {
            status: 'resolved',
            body: 'All impacted services have now fully recovered.',
            at: '2026-09-23T09:54:16.000Z',
          },
        ],
      },
    ]);
    expect(snap.incidents[0]?.updates[0]?.id).toMatch(/^2026-09-23T09:54:16\.000Z:[0-9a-f]{12}$/);
  });

  it('incident.io compat: a summary with no incident keys at all, and incidents: null', async () => {
    const snap = await snapshotOf(
      {
        body: '{"page":{"id":"x","name":"OpenAI","url":"https://status.openai.com"},"status":{"indicator":"none"}}',
      },
      { body: '{"incidents": null}' },
    );
    expect(snap).toMatchObject({
      incidents: [],
      maintenances: [],
      components: [],
      resolutionsKnown: true,
    });
  });
});
