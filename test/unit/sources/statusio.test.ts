import { describe, expect, it } from 'vitest';
import { statusioApiUrl } from '../../../src/sources/statusio.js';
import { harnessPerTest, readFixture, STATUSIO_PAGE, seen, walk } from './page-kinds.js';

const harness = harnessPerTest('statusio');
const PATH = `/1.0/status/${STATUSIO_PAGE}`;

describe('statusio source', () => {
  it('docs example: components from status codes, nothing open', async () => {
    const h = await harness();
    h.server.set(PATH, {
      body: readFixture('statusio', 'docs-example-public-status-operational.json'),
    });
    expect(await h.snapshot()).toEqual({
      serviceId: 'acme',
      fetchedAt: '2026-10-01T12:00:00.000Z',
      incidents: [],
      maintenances: [],
      components: [{ id: '56a807c7b62d59d808000010', name: 'Website', status: 'operational' }],
      resolutionsKnown: true,
      pageUrl: `https://status.io/pages/${STATUSIO_PAGE}`,
    });
  });

  it('takes the public page URL or the API URL', () => {
    expect(statusioApiUrl(`https://status.io/pages/${STATUSIO_PAGE}`)).toBe(
      `https://api.status.io/1.0/status/${STATUSIO_PAGE}`,
    );
    expect(statusioApiUrl(`https://api.status.io/1.0/status/${STATUSIO_PAGE}/?x=1`)).toBe(
      `https://api.status.io/1.0/status/${STATUSIO_PAGE}`,
    );
  });

  it('written open incident: state and severity codes, affected components', async () => {
    const h = await harness();
    h.serve('written-incident-open');
    const snap = await h.snapshot();
    expect(snap.components).toEqual([
      { id: 'c1', name: 'API', status: 'partial_outage' },
      { id: 'c2', name: 'Web', status: 'operational' },
    ]);
    expect(snap.incidents).toEqual([
      {
        id: 'i1',
        title: 'API errors',
        status: 'investigating',
        impact: 'major',
        components: ['API'],
        updates: [
          {
            id: 'msg1',
            status: 'investigating',
            body: 'We are investigating API errors.',
            at: '2026-10-01T11:50:00.000Z',
          },
        ],
        startedAt: '2026-10-01T11:50:00.000Z',
        url: `https://status.io/pages/${STATUSIO_PAGE}`,
        origin: 'status_page',
      },
    ]);
  });

  it('open -> update -> resolved through reconcile (resolution inferred from absence)', async () => {
    const h = await harness();
    const polls = await walk(h, [
      ['written-incident-resolved', '2026-10-01T11:45:00.000Z'],
      ['written-incident-open', '2026-10-01T11:51:00.000Z'],
      ['written-incident-updated', '2026-10-01T12:11:00.000Z'],
      ['written-incident-resolved', '2026-10-01T12:31:00.000Z'],
      ['written-incident-resolved', '2026-10-01T12:32:00.000Z'],
      ['written-incident-resolved', '2026-10-01T12:33:00.000Z'],
    ]);
    expect(polls.map(seen)).toEqual([
      [
        {
          type: 'started',
          subject: 'i1',
          status: 'investigating',
          text: 'We are investigating API errors.',
        },
      ],
      [{ type: 'updated', subject: 'i1', status: 'identified', text: 'The cause is identified.' }],
      [],
      [],
      [
        {
          type: 'resolved',
          subject: 'i1',
          status: 'resolved',
          text: 'No longer listed on the status page.',
          inferred: true,
        },
      ],
    ]);
  });

  it('maintenance upcoming -> active -> gone through reconcile', async () => {
    const h = await harness();
    const polls = await walk(h, [
      ['written-incident-resolved', '2026-10-01T11:00:00.000Z'],
      ['written-maintenance-scheduled', '2026-10-01T12:00:00.000Z'],
      ['written-maintenance-in-progress', '2026-10-02T02:01:00.000Z'],
      ['written-maintenance-completed', '2026-10-02T03:01:00.000Z'],
      ['written-maintenance-completed', '2026-10-02T03:02:00.000Z'],
      ['written-maintenance-completed', '2026-10-02T03:03:00.000Z'],
    ]);
    expect(polls.map(seen)).toEqual([
      [
        {
          type: 'maintenance_scheduled',
          subject: 'm1',
          status: 'scheduled',
          text: 'We will upgrade the servers.',
        },
      ],
      [
        {
          type: 'maintenance_started',
          subject: 'm1',
          status: 'in_progress',
          text: 'The upgrade has started.',
        },
      ],
      [],
      [],
      [
        {
          type: 'maintenance_completed',
          subject: 'm1',
          status: 'completed',
          text: 'No longer listed on the status page.',
          inferred: true,
        },
      ],
    ]);
  });
});
