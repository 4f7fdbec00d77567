import { describe, expect, it } from 'vitest';
import {
  fixtureServerPerTest,
  kindFixture,
  kindFixtureBytes,
  registrySource,
  snapshotOf,
} from './kind-helpers.js';

const fx = fixtureServerPerTest();
const json = { 'content-type': 'application/json' };
const utf16 = { 'content-type': 'application/json;charset=utf-16' };

describe('gcp source', () => {
  it('normalizes a resolved incident: times, impact, products, updates in order, link', async () => {
    fx.server.set('/incidents.json', {
      headers: json,
      body: kindFixture('gcp', 'written-bigquery-resolved.json'),
    });
    const source = registrySource(
      { kind: 'gcp', url: `${fx.server.url}/` },
      { now: () => new Date('2023-03-10T15:00:00Z') },
    );
    const snap = snapshotOf(await source.poll());
    expect(snap.resolutionsKnown).toBe(true);
    expect(snap.incidents.map((i) => i.id)).toEqual([
      'rZvZvSKVdDHyWh4dZJ8D',
      'MfiGCW4E26MPGRnCJ8by',
    ]);
    expect(snap.incidents[0]).toEqual({
      id: 'rZvZvSKVdDHyWh4dZJ8D',
      title: 'Retry errors for Google BigQuery in europe-north1',
      status: 'resolved',
      impact: 'none',
      components: ['Google BigQuery'],
      updates: [
        expect.objectContaining({ status: 'investigating', at: '2023-03-10T14:26:17.000Z' }),
        expect.objectContaining({ status: 'investigating', at: '2023-03-10T14:40:02.000Z' }),
        {
          id: expect.stringMatching(/^2023-03-10T14:54:50.000Z:[0-9a-f]{12}$/),
          status: 'resolved',
          body: 'The issue with Google BigQuery has been resolved for all affected projects as of Friday, 2023-03-10 06:54 US/Pacific.',
          at: '2023-03-10T14:54:50.000Z',
        },
      ],
      startedAt: '2023-03-10T14:09:43.000Z',
      resolvedAt: '2023-03-10T14:54:50.000Z',
      url: `${fx.server.url}/incidents/rZvZvSKVdDHyWh4dZJ8D`,
      origin: 'status_page',
    });
  });

  it('drops incidents that ended more than a week before the poll', async () => {
    fx.server.set('/incidents.json', {
      body: kindFixture('gcp', 'incidents-bigquery-2023-03-10-resolved.json'),
    });
    const snap = snapshotOf(await registrySource({ kind: 'gcp', url: `${fx.server.url}/` }).poll());
    expect(snap.incidents).toEqual([]);
  });

  it('keeps an open incident however old, and filters by product and region', async () => {
    fx.server.set('/incidents.json', {
      headers: json,
      body: kindFixture('gcp', 'written-bigquery-open.json'),
    });
    const poll = (extra: object) =>
      registrySource({ kind: 'gcp', url: `${fx.server.url}/incidents.json`, ...extra }).poll();
    const all = snapshotOf(await poll({}));
    expect(all.incidents.map((i) => [i.title, i.status, i.impact])).toEqual([
      ['Retry errors for Google BigQuery in europe-north1', 'investigating', 'none'],
      [
        'us-central1: GCS is returning stale version of object for bucket',
        'investigating',
        'major',
      ],
    ]);
    const storage = snapshotOf(await poll({ products: ['google cloud storage'] }));
    expect(storage.incidents.map((i) => i.id)).toEqual(['MfiGCW4E26MPGRnCJ8by']);
    const finland = snapshotOf(await poll({ regions: ['europe-north1'] }));
    expect(finland.incidents.map((i) => i.id)).toEqual(['rZvZvSKVdDHyWh4dZJ8D']);
  });
});

describe('aws source', () => {
  it('decodes UTF-16 with a BOM and normalizes events; the region filter drops the rest', async () => {
    fx.server.set('/currentevents', {
      headers: utf16,
      body: kindFixtureBytes('aws', 'written-usw2-resolved.utf16be-bom.json'),
    });
    const url = `${fx.server.url}/currentevents`;
    const all = snapshotOf(await registrySource({ kind: 'aws', url }).poll());
    expect(all.incidents.map((i) => [i.title, i.status, i.impact])).toEqual([
      ['Internet Connectivity in the US-WEST-2 Region', 'resolved', 'minor'],
      ['Region Availability', 'investigating', 'critical'],
    ]);
    expect(all.resolutionsKnown).toBe(false);
    const oregon = snapshotOf(
      await registrySource({ kind: 'aws', url, regions: ['us-west-2'] }).poll(),
    );
    expect(oregon.incidents).toEqual([
      {
        id: 'internetconnectivity-us-west-2:2023-03-13T16:57:31.000Z',
        title: 'Internet Connectivity in the US-WEST-2 Region',
        status: 'resolved',
        impact: 'minor',
        components: [
          'AWS Internet Connectivity',
          'Amazon Elastic Load Balancing',
          'AWS NAT Gateway',
          'Amazon Elastic Compute Cloud',
        ],
        updates: [
          expect.objectContaining({ status: 'investigating', at: '2023-03-13T16:13:20.000Z' }),
          expect.objectContaining({ status: 'investigating', at: '2023-03-13T16:38:20.000Z' }),
          {
            id: expect.stringMatching(/^2023-03-13T16:57:00.000Z:[0-9a-f]{12}$/),
            status: 'resolved',
            body: expect.stringMatching(/^Between 8:25 AM and 9:16 AM PDT/),
            at: '2023-03-13T16:57:00.000Z',
          },
        ],
        startedAt: '2023-03-13T16:57:31.000Z',
        resolvedAt: '2023-03-13T17:11:16.000Z',
        url: 'https://health.aws.amazon.com/health/status',
        origin: 'status_page',
      },
    ]);
  });

  it('reads little-endian UTF-16 and the recorded UTF-8 single-event capture alike', async () => {
    fx.server.set('/le', {
      headers: utf16,
      body: kindFixtureBytes('aws', 'written-usw2-update.utf16le-bom.json'),
    });
    fx.server.set('/one', {
      headers: json,
      body: kindFixture('aws', 'currentevents-me-central-1-2026-09-23-trimmed.json'),
    });
    const le = snapshotOf(await registrySource({ kind: 'aws', url: `${fx.server.url}/le` }).poll());
    expect(le.incidents.map((i) => i.updates.length)).toEqual([2, 1]);
    const one = snapshotOf(
      await registrySource({ kind: 'aws', url: `${fx.server.url}/one` }).poll(),
    );
    expect(one.incidents.map((i) => [i.id, i.components])).toEqual([
      [
        'arn:aws:health:me-central-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/...',
        ['Multiple services', 'Amazon CloudWatch Synthetics'],
      ],
    ]);
  });

  it('gives an event with an empty arn an id of its own (fuzzing found one)', async () => {
    const event = JSON.parse(
      kindFixture('aws', 'currentevents-me-central-1-2026-09-23-trimmed.json'),
    );
    const events = (Array.isArray(event) ? event : [event]).map((e: object) => ({ ...e, arn: '' }));
    fx.server.set('/blank', { headers: json, body: JSON.stringify(events) });
    const snap = snapshotOf(
      await registrySource({ kind: 'aws', url: `${fx.server.url}/blank` }).poll(),
    );
    expect(snap.incidents.map((i) => i.id)).toEqual([
      expect.stringMatching(/^multipleservices-me-central-1:20\d\d-/),
    ]);
  });
});

describe('slack source', () => {
  it('normalizes the recorded active incident: numeric id, unescaped URL, notes oldest first', async () => {
    fx.server.set('/api/v2.0.0/current', {
      headers: json,
      body: kindFixture('slack', 'current-active-2023-09-26.json'),
    });
    const snap = snapshotOf(
      await registrySource({ kind: 'slack', url: `${fx.server.url}/` }).poll(),
    );
    expect(snap).toEqual({
      serviceId: 'acme',
      fetchedAt: '2026-10-01T12:00:00.000Z',
      incidents: [
        {
          id: '1269',
          title: "Can't dismiss Now you've got Later",
          status: 'investigating',
          impact: 'major',
          components: ['Connections'],
          updates: [
            {
              id: expect.stringMatching(/^2023-09-26T18:34:10.000Z:/),
              status: 'investigating',
              body: 'sample note',
              at: '2023-09-26T18:34:10.000Z',
            },
            {
              id: expect.stringMatching(/^2023-09-26T18:55:36.000Z:/),
              status: 'investigating',
              body: 'sample note 2',
              at: '2023-09-26T18:55:36.000Z',
            },
          ],
          startedAt: '2023-09-26T18:34:10.000Z',
          url: 'https://status.slack.com/2023-09/badc5543a21e1fa7',
          origin: 'status_page',
        },
      ],
      maintenances: [],
      components: [],
      resolutionsKnown: false,
      pageUrl: fx.server.url,
    });
  });

  it('reads the docs examples (string id, ok status) and scheduled entries as maintenance', async () => {
    const source = registrySource({ kind: 'slack', url: `${fx.server.url}/api/v2.0.0/current` });
    fx.server.set('/api/v2.0.0/current', {
      body: kindFixture('slack', 'docs-example-current-active.json'),
    });
    expect(snapshotOf(await source.poll()).incidents.map((i) => [i.id, i.components])).toEqual([
      ['546', ['Apps/Integrations/APIs']],
    ]);
    fx.server.set('/api/v2.0.0/current', {
      body: kindFixture('slack', 'docs-example-current-ok.json'),
    });
    expect(snapshotOf(await source.poll()).incidents).toEqual([]);
    fx.server.set('/api/v2.0.0/current', {
      body: kindFixture('slack', 'written-maintenance-scheduled.json'),
    });
    const snap = snapshotOf(await source.poll());
    expect(snap.incidents).toEqual([]);
    expect(snap.maintenances.map((m) => [m.id, m.status, m.scheduledFor, m.components])).toEqual([
      ['1301', 'scheduled', '2023-10-03T09:00:00.000Z', ['Huddles']],
    ]);
  });
});
