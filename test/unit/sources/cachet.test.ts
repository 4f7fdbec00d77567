import { describe, expect, it } from 'vitest';
import { cachetTime } from '../../../src/sources/cachet.js';
import { harnessPerTest, readFixture, seen, walk } from './page-kinds.js';

const harness = harnessPerTest('cachet');

describe('cachet source', () => {
  it('docs examples: integer statuses, a Fixed incident, per_page as a string, no schedules', async () => {
    const h = await harness();
    h.server.set('/api/v1/components', {
      body: readFixture('cachet', 'docs-example-components-list.json'),
    });
    h.server.set('/api/v1/incidents', {
      body: readFixture('cachet', 'docs-example-incidents-list.json'),
    });
    expect(await h.snapshot()).toEqual({
      serviceId: 'acme',
      fetchedAt: '2026-10-01T12:00:00.000Z',
      incidents: [
        {
          id: '1',
          title: 'Incident Name',
          status: 'resolved',
          impact: 'minor',
          components: [],
          updates: [
            {
              id: expect.stringMatching(/^1:2015-08-01T12:00:00\.000Z:[0-9a-f]{12}$/),
              status: 'resolved',
              body: 'Incident Message',
              at: '2015-08-01T12:00:00.000Z',
            },
          ],
          startedAt: '2015-08-01T12:00:00.000Z',
          resolvedAt: '2015-08-01T12:00:00.000Z',
          url: `${h.server.url}/incidents/1`,
          origin: 'status_page',
        },
      ],
      maintenances: [],
      components: [{ id: '1', name: 'Example', status: 'operational' }],
      resolutionsKnown: true,
      pageUrl: h.server.url,
    });
    // Cachet before 2.4 has no schedules: the 404 there does not fail the poll.
    expect(h.server.count('/api/v1/schedules')).toBe(1);
  });

  it('a live Bosch IoT Suite component, disabled components dropped', async () => {
    const h = await harness();
    const bosch = JSON.parse(readFixture('cachet', 'bosch-iot-suite-component-2020-04.json'));
    h.server.set('/api/v1/components', {
      body: JSON.stringify({
        data: [bosch, { ...bosch, id: 2, name: 'Retired', status: 4, enabled: false }],
      }),
    });
    h.server.set('/api/v1/incidents', { body: '{"data": []}' });
    expect((await h.snapshot()).components).toEqual([
      { id: '1', name: 'Bosch IoT Things (EU-1)', status: 'operational' },
    ]);
  });

  it('status 0 incidents are maintenance: upcoming until their time, then over', async () => {
    const h = await harness();
    const notice = (id: number, at: string) => ({
      id,
      name: `Maintenance ${id}`,
      status: 0,
      visible: 1,
      message: 'Planned work',
      scheduled_at: at,
      created_at: '2015-07-01 09:00:00',
    });
    h.server.set('/api/v1/components', { body: '{"data": []}' });
    h.server.set('/api/v1/incidents', {
      body: JSON.stringify({
        data: [notice(2, '2026-10-02 02:00:00'), notice(1, '2015-08-01 12:00:00')],
      }),
    });
    const snap = await h.snapshot();
    expect(snap.incidents).toEqual([]);
    expect(snap.maintenances.map((m) => [m.id, m.status, m.scheduledFor])).toEqual([
      ['incident:2', 'scheduled', '2026-10-02T02:00:00.000Z'],
      ['incident:1', 'completed', '2015-08-01T12:00:00.000Z'],
    ]);
  });

  it('reads zone-less times as UTC and keeps ISO times as given', () => {
    expect(cachetTime('2020-04-20 08:30:02')).toBe('2020-04-20T08:30:02.000Z');
    expect(cachetTime('2020-04-20T08:30:02+02:00')).toBe('2020-04-20T06:30:02.000Z');
    expect(cachetTime('yesterday')).toBeUndefined();
  });

  it('written open incident: impact and component from component_id, Markdown kept as text', async () => {
    const h = await harness();
    h.serve('written-incident-open');
    const snap = await h.snapshot();
    expect(snap.incidents).toMatchObject([
      {
        id: '7',
        status: 'investigating',
        impact: 'major',
        components: ['API'],
        startedAt: '2026-10-01T11:50:00.000Z',
        updates: [{ status: 'investigating', body: 'We are **investigating** API errors.' }],
      },
    ]);
    expect(snap.components[0]).toEqual({ id: '1', name: 'API', status: 'partial_outage' });
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
          subject: '7',
          status: 'investigating',
          text: 'We are **investigating** API errors.',
        },
      ],
      [{ type: 'updated', subject: '7', status: 'identified', text: 'The cause is identified.' }],
      [
        {
          type: 'resolved',
          subject: '7',
          status: 'resolved',
          text: 'Fixed: the API is back to normal.',
        },
      ],
    ]);
  });

  it('schedule upcoming -> in progress -> complete through reconcile', async () => {
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
          subject: 'schedule:3',
          status: 'scheduled',
          text: 'We will upgrade the database.',
        },
      ],
      [
        {
          type: 'maintenance_started',
          subject: 'schedule:3',
          status: 'in_progress',
          text: undefined,
        },
      ],
      [
        {
          type: 'maintenance_completed',
          subject: 'schedule:3',
          status: 'completed',
          text: undefined,
        },
      ],
    ]);
  });
});
