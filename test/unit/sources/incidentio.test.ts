import { describe, expect, it } from 'vitest';
import { harnessPerTest, readFixture, seen, walk } from './page-kinds.js';

const harness = harnessPerTest('incidentio');
const ONGOING = '01H0QJ89CRW5BKTY9N89MSDT5S';

describe('incidentio source', () => {
  it('widget only (compat summary not served): incident, running and upcoming maintenance', async () => {
    const h = await harness();
    h.server.set('/api/v2/summary.json', { status: 404, body: '<html>not found</html>' });
    h.server.set('/api/v1/summary', {
      body: readFixture('incidentio', 'docs-example-widget-api-summary.json'),
    });
    expect(await h.snapshot()).toEqual({
      serviceId: 'acme',
      fetchedAt: '2026-10-01T12:00:00.000Z',
      incidents: [
        {
          id: ONGOING,
          title: 'Login failing for some users',
          status: 'identified',
          impact: 'major',
          components: ['Login'],
          updates: [
            {
              id: expect.stringMatching(/^2026-01-26T02:11:43\.000Z:[0-9a-f]{12}$/),
              status: 'identified',
              body: '...',
              at: '2026-01-26T02:11:43.000Z',
            },
          ],
          startedAt: '2026-01-26T02:11:43.000Z',
          url: `https://status.fitnudge.app/incidents/${ONGOING}`,
          origin: 'status_page',
        },
      ],
      maintenances: [
        expect.objectContaining({
          id: '01FDAG4SAP5TYPT98WGR2N7W91',
          title: 'Database upgrade',
          status: 'in_progress',
          scheduledFor: '2026-01-26T02:11:43.000Z',
          scheduledUntil: '2026-01-26T02:11:43.000Z',
          components: [],
        }),
        expect.objectContaining({
          id: '01FCNDV6P870EA6S7TK1DSYD5H',
          title: 'Essential maintenance',
          status: 'scheduled',
        }),
      ],
      components: [],
      // incidents.json was not served either: resolutions cannot be confirmed this poll.
      resolutionsKnown: false,
      pageUrl: 'https://status.fitnudge.app',
    });
  });

  it('OpenAI compat incidents.json with no widget (404): resolved history, no components', async () => {
    const h = await harness();
    h.server.set('/api/v2/summary.json', {
      body: '{"page":{"id":"x","name":"OpenAI","url":"https://status.openai.com"},"status":{"indicator":"none"}}',
    });
    h.server.set('/api/v2/incidents.json', {
      body: `{"incidents": [${readFixture('incidentio', 'openai-compat-api-v2-incident-resolved-2026-09-23-trimmed.json')}]}`,
    });
    const snap = await h.snapshot();
    expect(snap).toMatchObject({ resolutionsKnown: true, maintenances: [], components: [] });
    expect(snap.incidents).toEqual([
      {
        id: '01M36RMC01ZFWQ861WYJKC4XE1',
        title: 'Elevated Error Rates for ChatGPT across Plus and Pro plans.',
        status: 'resolved',
        impact: 'minor',
        components: [],
        updates: [
          {
            id: expect.stringMatching(/^2026-09-23T09:54:16\.000Z:[0-9a-f]{12}$/),
            status: 'resolved',
            body: 'All impacted services have now fully recovered.',
            at: '2026-09-23T09:54:16.000Z',
          },
        ],
        startedAt: '2026-09-23T09:13:00.000Z',
        resolvedAt: '2026-09-23T09:54:16.000Z',
        url: 'https://status.openai.com/incidents/01M36RMC01ZFWQ861WYJKC4XE1',
        origin: 'status_page',
      },
    ]);
  });

  it('the widget names the components the compatible API leaves out', async () => {
    const h = await harness();
    h.serve('written-incident-open');
    const snap = await h.snapshot();
    expect(snap.incidents).toHaveLength(1);
    expect(snap.incidents[0]).toMatchObject({
      status: 'investigating',
      impact: 'major',
      components: ['Login'],
      updates: [{ status: 'investigating', body: 'We are investigating login failures.' }],
    });
  });

  it('open -> update -> resolved through reconcile, one thread, no component incident', async () => {
    const h = await harness();
    const polls = await walk(h, [
      ['written-maintenance-completed', '2026-10-01T11:45:00.000Z'],
      ['written-incident-open', '2026-10-01T11:51:00.000Z'],
      ['written-incident-updated', '2026-10-01T12:11:00.000Z'],
      ['written-incident-resolved', '2026-10-01T12:31:00.000Z'],
    ]);
    const id = '01K6ZQ5V8G7S2D4F6H8J0K2M4N';
    expect(polls.map(seen)).toEqual([
      [
        {
          type: 'started',
          subject: id,
          status: 'investigating',
          text: 'We are investigating login failures.',
        },
      ],
      [
        {
          type: 'updated',
          subject: id,
          status: 'identified',
          text: 'We have identified the cause.',
        },
      ],
      [{ type: 'resolved', subject: id, status: 'resolved', text: 'Logins work again.' }],
    ]);
  });

  it('maintenance scheduled -> in progress -> gone through reconcile', async () => {
    const h = await harness();
    const id = '01K70A1B2C3D4E5F6G7H8J9K0M';
    const polls = await walk(h, [
      ['written-incident-resolved', '2026-10-01T12:40:00.000Z'],
      ['written-maintenance-scheduled', '2026-10-01T12:41:00.000Z'],
      ['written-maintenance-in-progress', '2026-10-02T02:01:00.000Z'],
      ['written-maintenance-completed', '2026-10-02T03:01:00.000Z'],
      ['written-maintenance-completed', '2026-10-02T03:02:00.000Z'],
      ['written-maintenance-completed', '2026-10-02T03:03:00.000Z'],
    ]);
    expect(polls.map(seen)).toEqual([
      [
        {
          type: 'maintenance_scheduled',
          subject: id,
          status: 'scheduled',
          text: 'We will upgrade the database.',
        },
      ],
      [
        {
          type: 'maintenance_started',
          subject: id,
          status: 'in_progress',
          text: 'The upgrade has started.',
        },
      ],
      [],
      [],
      [
        {
          type: 'maintenance_completed',
          subject: id,
          status: 'completed',
          text: 'No longer listed on the status page.',
          inferred: true,
        },
      ],
    ]);
  });
});

describe('incidentio source when the compatible summary fails', () => {
  const h2 = harnessPerTest('incidentio');

  it('a 500 fails the poll even with the widget readable: its missing components close nothing', async () => {
    const h = await h2();
    h.serve('written-incident-open');
    h.server.set('/api/v2/summary.json', { status: 500, body: 'boom' });
    expect(await h.poll()).toEqual({
      ok: false,
      failure: { kind: 'http_status', status: 500, message: 'HTTP 500 Internal Server Error' },
    });
  });
});
