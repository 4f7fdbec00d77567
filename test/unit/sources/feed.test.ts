import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../../src/incidents/model.js';
import {
  fixtureServerPerTest,
  kindFixture,
  registrySource,
  snapshotOf,
  type TestClock,
} from './kind-helpers.js';

const fx = fixtureServerPerTest();
const rss = { 'content-type': 'application/rss+xml; charset=utf-8' };
const atom = { 'content-type': 'application/atom+xml; charset=utf-8' };

const feedSource = (convention: SourceConfig['convention'], clock?: TestClock) =>
  registrySource(
    { kind: 'feed', url: `${fx.server.url}/feed`, ...(convention ? { convention } : {}) },
    clock ? { now: () => clock.at } : {},
  );

describe('feed source, Statuspage convention', () => {
  it('reads one Atom entry per incident, every update from the body, oldest first', async () => {
    fx.server.set('/feed', {
      headers: atom,
      body: kindFixture('feed', 'incident-10330972-snapshot-2022-06-18.xml'),
    });
    const snap = snapshotOf(await feedSource('statuspage').poll());
    expect(snap).toEqual({
      serviceId: 'acme',
      fetchedAt: '2026-10-01T12:00:00.000Z',
      incidents: [
        {
          id: 'tag:www.githubstatus.com,2005:Incident/10330972',
          title: 'Incident with GitHub Actions',
          status: 'resolved',
          impact: 'minor',
          components: [],
          updates: [
            {
              id: expect.stringMatching(/^2022-06-17T03:54:00.000Z:[0-9a-f]{12}$/),
              status: 'investigating',
              body: 'We are investigating reports of degraded performance for GitHub Actions.',
              at: '2022-06-17T03:54:00.000Z',
            },
            {
              id: expect.stringMatching(/^2022-06-17T06:06:00.000Z:[0-9a-f]{12}$/),
              status: 'resolved',
              body: 'This incident has been resolved.',
              at: '2022-06-17T06:06:00.000Z',
            },
          ],
          startedAt: '2022-06-17T03:54:00.000Z',
          resolvedAt: '2022-06-17T06:06:00.000Z',
          url: 'https://www.githubstatus.com/incidents/x2zjps0r5wxn',
          origin: 'status_page',
        },
      ],
      maintenances: [],
      components: [],
      resolutionsKnown: true,
      pageUrl: 'https://www.githubstatus.com',
    });
  });

  it('keeps update ids across polls while the entry grows', async () => {
    const source = feedSource('statuspage');
    fx.server.set('/feed', {
      headers: atom,
      body: kindFixture('feed', 'incident-10330972-snapshot-2022-06-17.xml'),
    });
    const before = snapshotOf(await source.poll()).incidents[0]?.updates ?? [];
    fx.server.set('/feed', {
      headers: atom,
      body: kindFixture('feed', 'incident-10330972-written-identified.xml'),
    });
    const after = snapshotOf(await source.poll()).incidents[0]?.updates ?? [];
    expect(after.map((u) => [u.status, u.body])).toEqual([
      ['investigating', 'We are investigating reports of degraded performance for GitHub Actions.'],
      ['identified', 'We found the cause & are rolling out a fix.'],
    ]);
    expect(after[0]?.id).toBe(before[0]?.id);
  });

  it('reads a maintenance: the scheduled window, the Update label keeping its status', async () => {
    fx.server.set('/feed', {
      headers: atom,
      body: kindFixture('feed', 'incident-16051676-snapshot-2023-02-08.xml'),
    });
    const snap = snapshotOf(await feedSource('statuspage').poll());
    expect(snap.incidents).toEqual([]);
    expect(snap.maintenances).toHaveLength(1);
    const [maintenance] = snap.maintenances;
    expect(maintenance).toMatchObject({
      id: 'tag:www.githubstatus.com,2005:Incident/16051676',
      title: 'Planned maintenance on GitHub Package Registry',
      status: 'scheduled',
      impact: 'none',
      components: [],
      url: 'https://www.githubstatus.com/incidents/53t2nlxs8016',
    });
    expect(maintenance?.updates.map((u) => [u.status, u.at])).toEqual([
      ['scheduled', '2023-02-07T10:08:00.000Z'],
      ['scheduled', '2023-02-07T11:52:00.000Z'],
    ]);
    expect(maintenance?.scheduledFor).toBe('2023-02-08T22:00:00.000Z');
    expect(maintenance?.scheduledUntil).toBe('2023-02-09T13:00:00.000Z');
  });

  it('reads an RSS maintenance with maintenanceEndDate and a GMT banner', async () => {
    fx.server.set('/feed', {
      headers: rss,
      body: kindFixture('feed', 'govuk-history-rss-scheduled-maintenance-2024-01.xml'),
    });
    const snap = snapshotOf(await feedSource('statuspage').poll());
    expect(snap.maintenances.map((m) => [m.status, m.scheduledFor, m.scheduledUntil])).toEqual([
      ['scheduled', '2024-01-16T12:00:00.000Z', '2024-01-16T16:00:00.000Z'],
    ]);
    expect(snap.maintenances[0]?.updates[0]?.body).toMatch(
      /^Hello,\n\nWe plan to do some maintenance/,
    );
  });

  it('reads Claude RSS: the newest label is the status, "Update" keeps the one before', async () => {
    fx.server.set('/feed', {
      headers: rss,
      body: kindFixture('feed', 'claude-history-rss-excerpt.xml'),
    });
    const snap = snapshotOf(await feedSource('statuspage').poll());
    const open = snap.incidents.find((i) => i.title === 'Elevated errors on platform.claude.com');
    expect(open?.status).toBe('identified');
    expect(open?.updates.map((u) => [u.status, u.at])).toEqual([
      ['investigating', '2026-10-07T16:36:00.000Z'],
      ['identified', '2026-10-07T17:28:00.000Z'],
    ]);
    expect(open?.updates[1]?.body).toMatch(
      /^We've identified the cause of errors loading usage data\./,
    );
    expect(snap.incidents[0]).toMatchObject({
      title: 'Issue with spend limits',
      status: 'resolved',
    });
  });
});

describe('feed source, AWS convention', () => {
  it('groups one item per update into one incident per service-region and title', async () => {
    fx.server.set('/feed', {
      headers: rss,
      body: kindFixture('feed', 'aws-written-sns-resolved.xml'),
    });
    const snap = snapshotOf(await feedSource('aws').poll());
    expect(snap.incidents).toHaveLength(1);
    expect(snap.incidents[0]).toEqual({
      id: expect.stringMatching(/^sns-us-east-1:[0-9a-f]{12}$/),
      title: 'SMS Delivery Delays',
      status: 'resolved',
      impact: 'minor',
      components: ['sns-us-east-1'],
      updates: [
        {
          id: 'http://status.aws.amazon.com/#sns-us-east-1_1642169400',
          status: 'investigating',
          body: 'We are investigating increased SMS delivery latency using US toll-free numbers.',
          at: '2022-01-14T14:10:00.000Z',
        },
        {
          id: 'http://status.aws.amazon.com/#sns-us-east-1_1642176120',
          status: 'investigating',
          body: 'We have identified the cause of delayed SMS delivery receipts & are working with downstream partners.',
          at: '2022-01-14T16:02:00.000Z',
        },
        {
          id: 'http://status.aws.amazon.com/#sns-us-east-1_1642200240',
          status: 'resolved',
          body: expect.stringMatching(/^Between 5:14 AM and 11:38 AM PST.*operating normally\.$/),
          at: '2022-01-14T22:44:00.000Z',
        },
      ],
      startedAt: '2022-01-14T14:10:00.000Z',
      resolvedAt: '2022-01-14T22:44:00.000Z',
      url: 'http://status.aws.amazon.com/',
      origin: 'status_page',
    });
    expect(snap.resolutionsKnown).toBe(true);
  });
});

describe('feed source, Azure convention', () => {
  it('reads an active item as an open incident and says resolutions are not known', async () => {
    fx.server.set('/feed', { headers: rss, body: kindFixture('feed', 'azure-written-active.xml') });
    const snap = snapshotOf(await feedSource('azure').poll());
    expect(snap.resolutionsKnown).toBe(false);
    expect(snap.pageUrl).toBe('https://azure.status.microsoft/en-us/status');
    expect(snap.incidents).toEqual([
      {
        id: 'https://azure.status.microsoft/en-us/status/history/?trackingId=VM-EUS2',
        title: 'Virtual Machines/VM Scale Sets - East US 2',
        status: 'investigating',
        impact: 'minor',
        components: [],
        updates: [
          {
            id: expect.stringMatching(/^2018-10-27T10:45:00.000Z:[0-9a-f]{12}$/),
            status: 'investigating',
            body: expect.stringMatching(
              /^Summary of impact: Between 02:50 and 10:37 UTC on 27 Oct 2018/,
            ),
            at: '2018-10-27T10:45:00.000Z',
          },
        ],
        startedAt: '2018-10-27T10:45:00.000Z',
        url: 'https://azure.status.microsoft/en-us/status/',
        origin: 'status_page',
      },
    ]);
  });

  it('reads the quiet feed (no items) as nothing open', async () => {
    fx.server.set('/feed', {
      headers: rss,
      body: kindFixture('feed', 'feed-empty-all-clear-2026-08.xml'),
    });
    const snap = snapshotOf(await feedSource('azure').poll());
    expect(snap.incidents).toEqual([]);
    expect(snap.resolutionsKnown).toBe(false);
  });
});

describe('feed source, generic convention', () => {
  it('takes the status from a title prefix and strips it from the title', async () => {
    fx.server.set('/feed', {
      headers: atom,
      body: kindFixture('feed', 'generic-written-update.xml'),
    });
    const snap = snapshotOf(await feedSource(undefined).poll());
    expect(snap.incidents).toEqual([
      {
        id: 'urn:example:incident:42',
        title: 'Login failures',
        status: 'monitoring',
        impact: 'minor',
        components: [],
        updates: [
          {
            id: expect.stringMatching(/^2026-10-01T10:20:00.000Z:[0-9a-f]{12}$/),
            status: 'monitoring',
            body: 'A fix is deployed; we are watching.',
            at: '2026-10-01T10:20:00.000Z',
          },
        ],
        startedAt: '2026-10-01T10:00:00.000Z',
        url: 'https://status.example.com/incidents/42',
        origin: 'status_page',
      },
    ]);
    expect(snap.resolutionsKnown).toBe(false);
  });

  it('answers a repeated poll with 304 and the same snapshot', async () => {
    fx.server.set('/feed', {
      headers: atom,
      body: kindFixture('feed', 'generic-written-open.xml'),
    });
    const source = feedSource(undefined);
    const first = snapshotOf(await source.poll());
    const second = snapshotOf(await source.poll());
    expect(second).toEqual(first);
    expect(fx.server.requests.map((r) => r.status)).toEqual([200, 304]);
    expect(fx.server.requests[1]?.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
  });
});
