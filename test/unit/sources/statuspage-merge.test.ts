import { describe, expect, it } from 'vitest';
import type { PollResult, Snapshot } from '../../../src/incidents/model.js';
import { StatuspageSource, statuspageBaseUrl } from '../../../src/sources/statuspage.js';
import { service, sourceDeps, startStaticServer } from './helpers.js';

/** Payloads the fake page never produces: the two files disagreeing, wrong shapes. */

const sourceFor = (url: string) =>
  new StatuspageSource(service(url), { kind: 'statuspage', url }, sourceDeps());

function snapshot(result: PollResult): Snapshot {
  if (!result.ok || result.notModified)
    throw new Error(`expected a snapshot, got ${JSON.stringify(result)}`);
  return result.snapshot;
}

describe('summary and incidents.json disagreeing', () => {
  const incident = (status: string, updates: Array<[string, string]>) => ({
    id: 'inc1',
    name: 'Thing',
    status,
    impact: 'minor',
    created_at: '2026-10-01T09:00:00Z',
    resolved_at: status === 'resolved' ? updates[0]?.[1] : null,
    incident_updates: updates.map(([s, at], i) => ({
      id: `u${updates.length - i}`,
      status: s,
      body: s,
      display_at: at,
    })),
  });
  const serve = (summaryIncidents: unknown[], listIncidents: unknown[]) =>
    startStaticServer({
      '/api/v2/summary.json': {
        body: JSON.stringify({
          page: { name: 'P', url: 'https://p.example' },
          components: [],
          incidents: summaryIncidents,
        }),
      },
      '/api/v2/incidents.json': { body: JSON.stringify({ incidents: listIncidents }) },
    });

  it('keeps the fresher copy of an incident', async () => {
    const open = incident('investigating', [['investigating', '2026-10-01T09:00:00Z']]);
    const resolved = incident('resolved', [
      ['resolved', '2026-10-01T09:30:00Z'],
      ['investigating', '2026-10-01T09:00:00Z'],
    ]);
    let server = await serve([open], [resolved]);
    try {
      const snap = snapshot(await sourceFor(server.url).poll());
      expect(snap.incidents).toMatchObject([
        { id: 'inc1', status: 'resolved', updates: [{ id: 'u1' }, { id: 'u2' }] },
      ]);
    } finally {
      await server.close();
    }
    const newer = incident('identified', [
      ['identified', '2026-10-01T09:40:00Z'],
      ['investigating', '2026-10-01T09:00:00Z'],
    ]);
    server = await serve([newer], [open]);
    try {
      expect(snapshot(await sourceFor(server.url).poll()).incidents).toMatchObject([
        { status: 'identified' },
      ]);
    } finally {
      await server.close();
    }
  });

  it('routes maintenances found in incidents.json to maintenances', async () => {
    const maintenance = {
      id: 'm1',
      name: 'Planned',
      status: 'completed',
      impact: 'maintenance',
      scheduled_for: '2026-10-01T08:00:00Z',
      scheduled_until: '2026-10-01T09:00:00Z',
      resolved_at: '2026-10-01T09:00:00Z',
      incident_updates: [
        { id: 'mu1', status: 'completed', body: 'done', display_at: '2026-10-01T09:00:00Z' },
      ],
    };
    const server = await serve([], [maintenance]);
    try {
      const snap = snapshot(await sourceFor(server.url).poll());
      expect(snap.incidents).toEqual([]);
      expect(snap.maintenances).toMatchObject([
        {
          id: 'm1',
          status: 'completed',
          impact: 'none',
          scheduledUntil: '2026-10-01T09:00:00.000Z',
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['a JSON array', '[]', /unexpected shape at \(root\)/],
    ['an unrelated object', '{"foo": 1}', /not a Statuspage summary/],
    [
      'incidents that are not a list',
      '{"page": {}, "incidents": {"id": 1}}',
      /unexpected shape at incidents/,
    ],
    [
      'an incident without a name',
      '{"incidents": [{"id": "x", "status": "investigating"}]}',
      /incidents\.0\.name/,
    ],
    ['empty text', '', /invalid JSON/],
  ])('summary that is %s -> bad_body', async (_what, body, message) => {
    const server = await startStaticServer({
      '/api/v2/summary.json': { body },
      '/api/v2/incidents.json': { body: '{"incidents":[]}' },
    });
    try {
      expect(await sourceFor(server.url).poll()).toMatchObject({
        ok: false,
        failure: { kind: 'bad_body', message: expect.stringMatching(message) },
      });
    } finally {
      await server.close();
    }
  });

  it('incidents.json without an incidents key does not confirm anything', async () => {
    const server = await startStaticServer({
      '/api/v2/summary.json': { body: '{"components": []}' },
      '/api/v2/incidents.json': { body: '{"page": {}}' },
    });
    try {
      expect(snapshot(await sourceFor(server.url).poll()).resolutionsKnown).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('statuspageBaseUrl', () => {
  it.each([
    ['https://www.githubstatus.com', 'https://www.githubstatus.com'],
    ['https://www.githubstatus.com/', 'https://www.githubstatus.com'],
    ['https://www.githubstatus.com/api/v2/summary.json', 'https://www.githubstatus.com'],
    ['https://www.githubstatus.com/api/v2/', 'https://www.githubstatus.com'],
    ['https://www.githubstatus.com/?utm=x#top', 'https://www.githubstatus.com'],
    ['https://example.com/status/', 'https://example.com/status'],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:4000'],
  ])('%s -> %s', (url, base) => {
    expect(statuspageBaseUrl(url)).toBe(base);
  });
});
