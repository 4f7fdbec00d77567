import { describe, expect, it } from 'vitest';
import { confidenceLine } from '../../../src/incidents/confidence.js';
import {
  DEFAULT_SIGNAL_POLICY,
  mergeSignals,
  signalStarts,
} from '../../../src/incidents/merge-signals.js';
import type {
  IncidentEvent,
  IncidentEventType,
  IncidentOrigin,
} from '../../../src/incidents/model.js';
import { pageLag } from '../../../src/incidents/page-lag.js';
import type { SignalState } from '../../../src/incidents/signal-state.js';
import { mayPing } from '../../../src/incidents/thread-rules.js';

/** Minutes after 15:40 UTC on 2021-10-04. */
const T0 = Date.parse('2021-10-04T15:40:00.000Z');
const at = (minute: number): string => new Date(T0 + minute * 60_000).toISOString();

const POLICY = { ...DEFAULT_SIGNAL_POLICY, windowMs: 30 * 60_000, holdMs: 10 * 60_000 };

const FEEDS = { probe: 'facebook', reports: 'facebook#2:reports', page: 'facebook#1:metastatus' };
type Feed = keyof typeof FEEDS;
const ORIGIN: Record<Feed, IncidentOrigin> = {
  probe: 'probe',
  reports: 'reports',
  page: 'status_page',
};

/** An event as a feed's own reconcile gives it (one thread per feed subject). */
function feedEvent(
  feed: Feed,
  type: IncidentEventType,
  subjectId: string,
  minute: number,
  body: string,
  over: { title?: string; status?: 'investigating' | 'identified' | 'resolved' } = {},
): IncidentEvent {
  const status = over.status ?? (type === 'resolved' ? 'resolved' : 'investigating');
  return {
    id: `facebook:${subjectId}:${type}:${minute}`,
    type,
    serviceId: 'facebook',
    serviceName: 'Facebook',
    threadKey: `facebook:${subjectId}`,
    subject: {
      kind: 'incident',
      id: subjectId,
      title: over.title ?? `${feed} ${subjectId}`,
      status,
      impact: feed === 'page' ? 'critical' : 'major',
      components: feed === 'probe' ? ['facebook.com'] : [],
      startedAt: at(0),
      ...(type === 'resolved' ? { resolvedAt: at(minute) } : {}),
      origin: ORIGIN[feed],
    },
    update: { id: `${subjectId}@${minute}`, status, body, at: at(minute) },
    at: at(minute),
  };
}

/** Feeds polled in turn: each step is one feed's poll with its events. */
function run(steps: Array<[Feed, number, IncidentEvent[]]>, start?: SignalState) {
  let state = start;
  const out: IncidentEvent[][] = [];
  for (const [feed, minute, events] of steps) {
    const input = {
      serviceId: 'facebook',
      serviceName: 'Facebook',
      feedKey: FEEDS[feed],
      events,
      at: at(minute),
    };
    const result = mergeSignals(state, input, POLICY);
    state = result.state;
    out.push(result.events);
  }
  return { state: state as SignalState, out };
}

const line = (e: IncidentEvent): string =>
  `${e.type} [${e.threadKey}] ${confidenceLine(e.subject) ?? '-'} | ${e.update?.body ?? ''}`;

const PROBE_START = feedEvent(
  'probe',
  'started',
  'probe:facebook.com:1',
  2,
  'Probe: DNS SERVFAIL for facebook.com since 15:40 UTC (3 failed checks in a row).',
);
const REPORTS_START = feedEvent('reports', 'started', 'reports:1', 6, '42 reports in 10 min');
const OFFICIAL_START = feedEvent(
  'page',
  'started',
  'outage-77',
  50,
  'We are aware that some people are having trouble accessing our apps.',
  { title: 'Facebook apps unavailable' },
);

describe('signals of one service merged into one incident', () => {
  it('a probe, then reports, then the provider: one thread, the start edited twice, each signal once', () => {
    const { out, state } = run([
      ['probe', 2, [PROBE_START]],
      ['reports', 6, [REPORTS_START]],
      ['probe', 7, []],
      ['page', 50, [OFFICIAL_START]],
    ]);
    expect(out.flat().map(line)).toEqual([
      "started [facebook:probe:facebook.com:1] Suspected: outage-bot's probe fails | Probe: DNS SERVFAIL for facebook.com since 15:40 UTC (3 failed checks in a row).",
      'confirmed [facebook:probe:facebook.com:1] Confirmed by probes and user reports | Reports: 42 reports in 10 min',
      'confirmed [facebook:probe:facebook.com:1] Confirmed by the provider | Official: Investigating: Facebook apps unavailable\nWe are aware that some people are having trouble accessing our apps.',
    ]);
    const [, confirmed, provider] = out.flat();
    // The start message reads the provider's title once it spoke, from the first signal's start.
    expect(provider?.subject).toMatchObject({
      id: 'probe:facebook.com:1',
      title: 'Facebook apps unavailable',
      impact: 'critical',
      startedAt: at(0),
      components: ['facebook.com'],
      evidence: ['probe', 'reports'],
    });
    // Only the event that lifted it out of "suspected" may ping.
    expect(out.flat().map((e) => mayPing(e))).toEqual([false, true, false]);
    expect(confirmed?.confirmedNow).toBe(true);
    expect(state.groups).toHaveLength(1);
  });

  it('resolves when the provider resolves, and records how late the page spoke', () => {
    const { out, state } = run([
      ['probe', 2, [PROBE_START]],
      ['page', 50, [OFFICIAL_START]],
      [
        'probe',
        300,
        [
          feedEvent(
            'probe',
            'resolved',
            'probe:facebook.com:1',
            300,
            'Probe: facebook.com answers again (HTTP 200), 2 good checks in a row.',
          ),
        ],
      ],
      [
        'page',
        340,
        [
          feedEvent('page', 'resolved', 'outage-77', 340, 'Fixed.', {
            title: 'Facebook apps unavailable',
          }),
        ],
      ],
    ]);
    expect(out.flat().map(line)).toEqual([
      "started [facebook:probe:facebook.com:1] Suspected: outage-bot's probe fails | Probe: DNS SERVFAIL for facebook.com since 15:40 UTC (3 failed checks in a row).",
      'confirmed [facebook:probe:facebook.com:1] Confirmed by the provider | Official: Investigating: Facebook apps unavailable\nWe are aware that some people are having trouble accessing our apps.',
      'updated [facebook:probe:facebook.com:1] Confirmed by the provider | Probe: facebook.com answers again (HTTP 200), 2 good checks in a row.',
      'resolved [facebook:probe:facebook.com:1] Confirmed by the provider | Official: Resolved: Facebook apps unavailable\nFixed.',
    ]);
    expect(out.flat().at(-1)?.subject).toMatchObject({ status: 'resolved', resolvedAt: at(340) });
    expect(state.lag).toEqual([
      {
        threadKey: 'facebook:probe:facebook.com:1',
        firstSignalAt: at(0),
        officialAt: at(50),
        closedAt: at(340),
      },
    ]);
  });

  it('with no word from the provider, resolves once every signal has been clear for the hold time', () => {
    const { out, state } = run([
      ['probe', 2, [PROBE_START]],
      ['reports', 6, [REPORTS_START]],
      ['probe', 60, [feedEvent('probe', 'resolved', 'probe:facebook.com:1', 60, 'Probe: back.')]],
      [
        'reports',
        64,
        [feedEvent('reports', 'resolved', 'reports:1', 64, 'Reports back to normal.')],
      ],
      ['probe', 70, []],
      ['probe', 74, []],
      ['probe', 75, []],
    ]);
    expect(out.map((events) => events.map(line))).toEqual([
      [expect.stringMatching(/^started/)],
      [expect.stringMatching(/^confirmed/)],
      [
        'updated [facebook:probe:facebook.com:1] Confirmed by probes and user reports | Probe: back.',
      ],
      [
        'updated [facebook:probe:facebook.com:1] Confirmed by probes and user reports | Reports back to normal.',
      ],
      [],
      [
        'resolved [facebook:probe:facebook.com:1] Confirmed by probes and user reports | Every signal has been clear for 10m: probes healthy and reports normal.',
      ],
      [],
    ]);
    expect(out[5]?.[0]?.subject).toMatchObject({ status: 'resolved', resolvedAt: at(64) });
    expect(pageLag(state, new Date(at(80)))).toEqual({ outages: 1, neverAnnounced: 1 });
  });

  it('a signal coming back within the hold time keeps the incident open', () => {
    const { out } = run([
      ['probe', 2, [PROBE_START]],
      ['probe', 60, [feedEvent('probe', 'resolved', 'probe:facebook.com:1', 60, 'Probe: back.')]],
      [
        'probe',
        65,
        [feedEvent('probe', 'reopened', 'probe:facebook.com:1', 65, 'Probe: down again.')],
      ],
      ['probe', 75, []],
    ]);
    expect(out.flat().map((e) => e.type)).toEqual(['started', 'updated', 'updated']);
  });

  it('never merges two provider incidents, and a probe joins the provider thread without an edit', () => {
    const second = feedEvent('page', 'started', 'outage-78', 12, 'Ads manager slow.');
    const probe = feedEvent('probe', 'started', 'probe:facebook.com:2', 15, 'Probe: HTTP 503.');
    const { out } = run([
      ['page', 10, [OFFICIAL_START]],
      ['page', 12, [second]],
      ['probe', 15, [probe]],
    ]);
    expect(out.flat().map(line)).toEqual([
      `started [facebook:outage-77] - | ${OFFICIAL_START.update?.body}`,
      'started [facebook:outage-78] - | Ads manager slow.',
      'updated [facebook:outage-78] - | Probe: HTTP 503.',
    ]);
    // A plain provider incident is shown exactly as its feed gave it.
    expect(out[0]?.[0]).toEqual(OFFICIAL_START);
  });

  it('a signal after the window opens a new incident; within it, reopens the old one', () => {
    const closedAt = 64;
    const base: Array<[Feed, number, IncidentEvent[]]> = [
      ['probe', 2, [PROBE_START]],
      ['probe', 60, [feedEvent('probe', 'resolved', 'probe:facebook.com:1', 60, 'Probe: back.')]],
      ['probe', closedAt + 10, []],
    ];
    const again = (minute: number) =>
      feedEvent('reports', 'started', `reports:${minute}`, minute, '9 reports in 10 min');
    const soon = run([...base, ['reports', 90, [again(90)]]]);
    expect(
      soon.out
        .flat()
        .map((e) => `${e.type} ${e.threadKey}`)
        .slice(-2),
    ).toEqual(['resolved facebook:probe:facebook.com:1', 'reopened facebook:probe:facebook.com:1']);
    const late = run([...base, ['reports', 120, [again(120)]]]);
    expect(
      late.out
        .flat()
        .map((e) => `${e.type} ${e.threadKey}`)
        .at(-1),
    ).toBe('started facebook:reports:120');
  });

  it('is deterministic and leaves maintenance alone', () => {
    const maintenance: IncidentEvent = {
      ...OFFICIAL_START,
      id: 'facebook:m1:maintenance_scheduled:scheduled',
      type: 'maintenance_scheduled',
      threadKey: 'facebook:m1',
      subject: { ...OFFICIAL_START.subject, kind: 'maintenance', id: 'm1', status: 'scheduled' },
    };
    const steps: Array<[Feed, number, IncidentEvent[]]> = [
      ['probe', 2, [PROBE_START]],
      ['page', 3, [maintenance, OFFICIAL_START]],
    ];
    expect(run(steps)).toEqual(run(steps));
    expect(run(steps).out[1]?.[0]).toEqual(maintenance);
  });

  it('a new subscription is shown the merged thread once, as it reads now', () => {
    const { state } = run([
      ['probe', 2, [PROBE_START]],
      ['reports', 6, [REPORTS_START]],
    ]);
    const starts = signalStarts(state, [PROBE_START, REPORTS_START]);
    expect(starts.map(line)).toEqual([
      'started [facebook:probe:facebook.com:1] Confirmed by probes and user reports | Probe: DNS SERVFAIL for facebook.com since 15:40 UTC (3 failed checks in a row).',
    ]);
  });
});

describe('page lag', () => {
  const record = (closedDay: number, lagMinutes?: number) => ({
    threadKey: `t${closedDay}`,
    firstSignalAt: at(closedDay * 1440),
    ...(lagMinutes === undefined ? {} : { officialAt: at(closedDay * 1440 + lagMinutes) }),
    closedAt: at(closedDay * 1440 + 120),
  });

  it('takes the median over 90 days and counts the outages the page never announced', () => {
    const state: SignalState = {
      serviceId: 'facebook',
      groups: [],
      lag: [record(0, 50), record(40), record(60, 10), record(80, 30), record(85, 20)],
    };
    expect(pageLag(state, new Date(at(95 * 1440)))).toEqual({
      outages: 4,
      neverAnnounced: 1,
      medianMs: 20 * 60_000,
    });
  });
});
