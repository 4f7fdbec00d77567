import { describe, expect, it } from 'vitest';
import { harnessPerTest, readFixture, seen, walk } from './page-kinds.js';

const harness = harnessPerTest('instatus');

describe('instatus source', () => {
  it('docs example: incident and maintenance without ids, Date.toString() times', async () => {
    const h = await harness();
    h.server.set('/summary.json', {
      body: readFixture('instatus', 'docs-example-summary-with-activity.json'),
    });
    h.server.set('/v2/components.json', {
      body: readFixture('instatus', 'wistia-v3-components-2026-09-trimmed.json'),
    });
    expect(await h.snapshot()).toEqual({
      serviceId: 'acme',
      fetchedAt: '2026-10-01T12:00:00.000Z',
      incidents: [
        {
          id: 'cl4a8n3070721qtmzvts760c4',
          title: "We're facing an issue with our API",
          status: 'investigating',
          impact: 'critical',
          components: [],
          updates: [],
          startedAt: '2022-06-11T18:55:50.000Z',
          url: 'https://testing-widget.instatus.com/incident/cl4a8n3070721qtmzvts760c4',
          origin: 'status_page',
        },
      ],
      maintenances: [
        {
          id: 'cl4a8nlv50918qtmzdlw60ivu',
          title: 'Database maintenance',
          status: 'scheduled',
          impact: 'none',
          components: [],
          updates: [],
          scheduledFor: '2022-06-11T18:55:54.000Z',
          scheduledUntil: '2022-06-11T19:55:54.000Z',
          url: 'https://testing-widget.instatus.com/maintenance/cl4a8nlv50918qtmzdlw60ivu',
        },
      ],
      components: [
        { id: 'cm86c68hh003drlefrrklqlw1', name: 'Group Record', status: 'operational' },
      ],
      resolutionsKnown: true,
      pageUrl: 'https://instat.us',
    });
  });

  it('Wistia healthy summary (arrays omitted) and a page without components.json', async () => {
    const h = await harness();
    h.server.set('/summary.json', {
      body: readFixture('instatus', 'wistia-v3-summary-healthy-2026-09.json'),
    });
    expect(await h.snapshot()).toMatchObject({
      incidents: [],
      maintenances: [],
      components: [],
      resolutionsKnown: true,
      pageUrl: 'https://status.wistia.com',
    });
  });

  it('docs array form of components: parents become groups of their children', async () => {
    const h = await harness();
    h.server.set('/summary.json', {
      body: readFixture('instatus', 'wistia-v3-summary-healthy-2026-09.json'),
    });
    h.server.set('/v2/components.json', {
      body: JSON.stringify([
        {
          id: 'p1',
          name: 'Platform',
          status: 'PARTIALOUTAGE',
          isParent: true,
          children: [{ id: 'k1', name: 'API', status: 'PARTIALOUTAGE' }],
        },
        { id: 'k2', name: 'Docs', status: 'SOMETHINGNEW' },
      ]),
    });
    expect((await h.snapshot()).components).toEqual([
      { id: 'k1', name: 'API', status: 'partial_outage', group: 'Platform' },
      { id: 'k2', name: 'Docs', status: 'operational' },
    ]);
  });

  it('a failing components.json (500) fails the poll instead of reading as all recovered', async () => {
    const h = await harness();
    h.serve('written-incident-open');
    h.server.set('/v2/components.json', { status: 500, body: 'oops' });
    expect(await h.poll()).toEqual({
      ok: false,
      failure: { kind: 'http_status', status: 500, message: 'HTTP 500 Internal Server Error' },
    });
  });

  it('open -> update -> resolved through reconcile: the resolution is inferred from absence', async () => {
    const h = await harness();
    const polls = await walk(h, [
      ['written-maintenance-completed', '2026-10-01T11:45:00.000Z'],
      ['written-incident-open', '2026-10-01T11:51:00.000Z'],
      ['written-incident-updated', '2026-10-01T12:11:00.000Z'],
      ['written-incident-resolved', '2026-10-01T12:31:00.000Z'],
      ['written-incident-resolved', '2026-10-01T12:32:00.000Z'],
      ['written-incident-resolved', '2026-10-01T12:33:00.000Z'],
    ]);
    expect(polls.map(seen)).toEqual([
      [{ type: 'started', subject: 'inc1', status: 'investigating', text: undefined }],
      [
        {
          type: 'updated',
          subject: 'inc1',
          status: 'identified',
          text: 'Status changed to identified.',
        },
      ],
      [],
      [],
      [
        {
          type: 'resolved',
          subject: 'inc1',
          status: 'resolved',
          text: 'No longer listed on the status page.',
          inferred: true,
        },
      ],
    ]);
  });

  it('maintenance scheduled -> in progress -> completed through reconcile', async () => {
    const h = await harness();
    const polls = await walk(h, [
      ['written-incident-resolved', '2026-10-01T11:00:00.000Z'],
      ['written-maintenance-scheduled', '2026-10-01T12:00:00.000Z'],
      ['written-maintenance-in-progress', '2026-10-02T02:01:00.000Z'],
      ['written-maintenance-completed', '2026-10-02T03:01:00.000Z'],
    ]);
    expect(polls.map(seen)).toEqual([
      [{ type: 'maintenance_scheduled', subject: 'm1', status: 'scheduled', text: undefined }],
      [{ type: 'maintenance_started', subject: 'm1', status: 'in_progress', text: undefined }],
      [{ type: 'maintenance_completed', subject: 'm1', status: 'completed', text: undefined }],
    ]);
  });
});
