import { describe, expect, it } from 'vitest';
import { harnessPerTest, readFixture, seen, walk } from './page-kinds.js';

const harness = harnessPerTest('betterstack');

describe('betterstack source', () => {
  it('recorded index.json: sections as groups, a resolved report with ends_at null', async () => {
    const h = await harness();
    h.server.set('/index.json', {
      body: readFixture('betterstack', 'index-json-status.betterstack.com-2026-09-trimmed.json'),
    });
    expect(await h.snapshot()).toEqual({
      serviceId: 'acme',
      fetchedAt: '2026-10-01T12:00:00.000Z',
      incidents: [
        {
          id: '1050825',
          title: 'Delayed data processing in the Europe region',
          status: 'resolved',
          impact: 'minor',
          // The affected resource is not among the trimmed resources: no name to give.
          components: [],
          updates: [
            {
              id: '5709883',
              status: 'investigating',
              body: 'Processing of new data in the Europe region is starting to recover. ...',
              at: '2026-09-04T19:53:00.000Z',
            },
          ],
          startedAt: '2026-09-04T13:50:00.000Z',
          resolvedAt: '2026-09-04T19:53:00.000Z',
          origin: 'status_page',
        },
      ],
      maintenances: [],
      components: [
        { id: '4018902', name: 'Better Stack', status: 'operational', group: 'Better Stack' },
      ],
      resolutionsKnown: true,
      pageUrl: h.server.url,
    });
  });

  it('an SPA answering 200 with another JSON document is a bad body, not an empty page', async () => {
    const h = await harness();
    h.server.set('/index.json', { body: '{"data": {"id": "1", "type": "article"}}' });
    const result = await h.poll();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'bad_body' } });
  });

  it('written open incident: components, impact from downtime, custom domain', async () => {
    const h = await harness();
    h.serve('written-incident-open');
    const snap = await h.snapshot();
    expect(snap.pageUrl).toBe('https://status.acme.test');
    expect(snap.components).toEqual([
      { id: '10', name: 'API', status: 'major_outage', group: 'Core' },
      { id: '11', name: 'Web', status: 'operational', group: 'Core' },
    ]);
    expect(snap.incidents).toEqual([
      {
        id: '70',
        title: 'API errors',
        status: 'investigating',
        impact: 'critical',
        components: ['API'],
        updates: [
          {
            id: '501',
            status: 'investigating',
            body: 'We are investigating API errors.',
            at: '2026-10-01T11:50:00.000Z',
          },
        ],
        startedAt: '2026-10-01T11:50:00.000Z',
        origin: 'status_page',
      },
    ]);
  });

  it('open -> update -> resolved through reconcile', async () => {
    const h = await harness();
    const polls = await walk(h, [
      ['written-maintenance-completed', '2026-10-01T11:45:00.000Z'],
      ['written-incident-open', '2026-10-01T11:51:00.000Z'],
      ['written-incident-updated', '2026-10-01T12:11:00.000Z'],
      ['written-incident-resolved', '2026-10-01T12:31:00.000Z'],
    ]);
    expect(polls.map(seen)).toEqual([
      [
        {
          type: 'started',
          subject: '70',
          status: 'investigating',
          text: 'We are investigating API errors.',
        },
      ],
      [
        {
          type: 'updated',
          subject: '70',
          status: 'investigating',
          text: 'A fix is being deployed; errors are decreasing.',
        },
      ],
      [
        {
          type: 'resolved',
          subject: '70',
          status: 'resolved',
          text: 'Resolved: the API is back to normal.',
        },
      ],
    ]);
  });

  it('maintenance scheduled -> in progress -> completed through reconcile', async () => {
    const h = await harness();
    const polls = await walk(h, [
      ['written-incident-resolved', '2026-10-01T12:40:00.000Z'],
      ['written-maintenance-scheduled', '2026-10-01T12:41:00.000Z'],
      ['written-maintenance-in-progress', '2026-10-02T02:01:00.000Z'],
      ['written-maintenance-completed', '2026-10-02T02:51:00.000Z'],
    ]);
    expect(polls.map(seen)).toEqual([
      [
        {
          type: 'maintenance_scheduled',
          subject: '80',
          status: 'scheduled',
          text: 'We will upgrade the database.',
        },
      ],
      [
        {
          type: 'maintenance_started',
          subject: '80',
          status: 'in_progress',
          text: 'The upgrade has started.',
        },
      ],
      [
        {
          type: 'maintenance_completed',
          subject: '80',
          status: 'completed',
          text: 'The upgrade is complete.',
        },
      ],
    ]);
  });
});
