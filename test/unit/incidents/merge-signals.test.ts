import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { pageLag } from '../../../src/incidents/page-lag.js';
import { signalStarts } from '../../../src/incidents/signal-thread.js';
import { mayPing } from '../../../src/incidents/thread-rules.js';
import {
  at,
  type Feed,
  feedEvent,
  line,
  OFFICIAL_START,
  PROBE_START,
  REPORTS_START,
  run,
} from './merge-signals-fixture.js';

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
