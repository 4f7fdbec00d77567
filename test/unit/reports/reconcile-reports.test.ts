import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/incidents/model.js';
import { reconcile } from '../../../src/incidents/reconcile.js';
import { reportLevel } from '../../../src/incidents/reconcile-reports.js';
import type { ServiceState } from '../../../src/incidents/state.js';

const T0 = Date.parse('2021-10-04T15:40:00.000Z');
const MIN = 60_000;
const WINDOW = 10 * MIN;
const OPTIONS = { serviceName: 'Instagram', reportThreshold: 5, reportHoldMs: 15 * MIN };

interface Poll {
  minute: number;
  reporters: number;
  usualPerHour?: number;
}

const snapshot = ({ minute, reporters, usualPerHour }: Poll): Snapshot => ({
  serviceId: 'instagram',
  fetchedAt: new Date(T0 + minute * MIN).toISOString(),
  incidents: [],
  maintenances: [],
  components: [],
  resolutionsKnown: false,
  reports: { reporters, windowMs: WINDOW, ...(usualPerHour !== undefined ? { usualPerHour } : {}) },
});

/** Each poll's events as `type: body` lines. */
function run(polls: Poll[], start?: ServiceState) {
  let state = start;
  const lines: string[][] = [];
  const events = [];
  for (const poll of polls) {
    const result = reconcile(state, snapshot(poll), OPTIONS);
    state = result.state;
    events.push(...result.events);
    lines.push(result.events.map((e) => `${e.type}: ${e.update?.body ?? ''}`));
  }
  return { state, lines, events };
}

const counts = (first: number, ...reporters: number[]): Poll[] =>
  reporters.map((n, i) => ({ minute: first + i, reporters: n }));

describe('reports reconciled into incidents', () => {
  it('with no history, five distinct reporters in the window open "Users report problems"', () => {
    const { lines, events } = run(counts(0, 0, 2, 4, 5));
    expect(lines).toEqual([
      [],
      [],
      [],
      ['started: 5 people reported problems with Instagram in the last 10 min.'],
    ]);
    expect(events[0]?.subject).toEqual({
      kind: 'incident',
      id: `reports:${T0 + 3 * MIN}`,
      title: 'Users report problems',
      status: 'investigating',
      impact: 'minor',
      components: [],
      startedAt: new Date(T0 + 3 * MIN).toISOString(),
      origin: 'reports',
    });
    expect(events[0]?.threadKey).toBe(`instagram:reports:${T0 + 3 * MIN}`);
  });

  it('the threshold is configurable', () => {
    let state: ServiceState | undefined;
    const seen = [0, 2, 3].map((reporters, minute) => {
      const result = reconcile(state, snapshot({ minute, reporters }), {
        ...OPTIONS,
        reportThreshold: 3,
      });
      state = result.state;
      return result.events.map((e) => e.type);
    });
    expect(seen).toEqual([[], [], ['started']]);
  });

  it('posts an update each time the count doubles, never for the same count twice', () => {
    const { lines } = run(counts(0, 0, 6, 8, 11, 12, 11, 24, 42, 48, 48));
    expect(lines.flat()).toEqual([
      'started: 6 people reported problems with Instagram in the last 10 min.',
      'updated: 12 reports in 10 min.',
      'updated: 24 reports in 10 min.',
      'updated: 48 reports in 10 min.',
    ]);
  });

  it('resolves only when counts stay back to normal for the hold time', () => {
    // Open at minute 1; normal from minute 2; busy again at 10 restarts the hold.
    const polls = counts(0, 0, 6, 3, 2, 2, 2, 2, 2, 2, 2, 6, 1);
    polls.push({ minute: 20, reporters: 1 }, { minute: 26, reporters: 0 });
    const { lines, state } = run(polls);
    expect(lines.flat()).toEqual([
      'started: 6 people reported problems with Instagram in the last 10 min.',
      'resolved: Reports are back to normal (0 in the last 10 min) for 15m.',
    ]);
    expect(lines.at(-1)).toHaveLength(1);
    expect(state?.reports).toBeUndefined();
  });

  it('busy again within the flap window reopens the same thread', () => {
    const polls = [
      ...counts(0, 0, 6, 0),
      { minute: 17, reporters: 0 },
      { minute: 20, reporters: 7 },
    ];
    const { events } = run(polls);
    expect(events.map((e) => e.type)).toEqual(['started', 'resolved', 'reopened']);
    expect(new Set(events.map((e) => e.threadKey)).size).toBe(1);
    expect(events[2]?.update?.body).toBe(
      '7 people reported problems with Instagram in the last 10 min.',
    );
  });

  it('a service that usually gets reports at this hour needs three times its usual count', () => {
    // 24 counted reports an hour at this hour of the week: 4 per 10 minutes, so 12 are needed.
    expect(
      reportLevel(
        { reportThreshold: 5, reportBaselineFactor: 3 },
        { reporters: 0, windowMs: WINDOW, usualPerHour: 24 },
      ),
    ).toBe(12);
    const quiet = run(
      [0, 8, 11].map((reporters, minute) => ({ minute, reporters, usualPerHour: 24 })),
    );
    expect(quiet.lines.flat()).toEqual([]);
    const loud = run([0, 12].map((reporters, minute) => ({ minute, reporters, usualPerHour: 24 })));
    expect(loud.lines.flat()).toEqual([
      'started: 12 people reported problems with Instagram in the last 10 min (usually about 4 at this hour).',
    ]);
    // A quiet hour's history keeps the operator's threshold.
    const small = run([0, 5].map((reporters, minute) => ({ minute, reporters, usualPerHour: 1 })));
    expect(small.lines.flat()).toEqual([
      'started: 5 people reported problems with Instagram in the last 10 min (usually fewer than 1 at this hour).',
    ]);
  });

  it("announces a burst on the feed's very first poll: reports are never old news", () => {
    // Several people reporting before the feed's first poll must still reach the service's merged
    // incident as a start (a baseline's open incidents only reach channels as catch-up threads).
    const { lines, state } = run(counts(0, 9));
    expect(lines).toEqual([
      ['started: 9 people reported problems with Instagram in the last 10 min.'],
    ]);
    expect(Object.values(state?.subjects ?? {}).map((t) => t.subject.origin)).toEqual(['reports']);
  });

  it('never touches subjects it did not open: a probe incident in the state stays open', () => {
    const probe = run(counts(0, 0)).state as ServiceState;
    probe.subjects['probe:www.instagram.com:1'] = {
      subject: {
        kind: 'incident',
        id: 'probe:www.instagram.com:1',
        title: 'www.instagram.com: DNS SERVFAIL',
        status: 'investigating',
        impact: 'major',
        components: ['www.instagram.com'],
        startedAt: new Date(T0).toISOString(),
        origin: 'probe',
      },
      seenUpdateIds: [],
      missingPolls: 0,
    };
    const { state, lines } = run(
      [...counts(1, 6, 0), { minute: 30, reporters: 0 }, { minute: 50, reporters: 0 }],
      probe,
    );
    expect(lines.flat().map((l) => l.split(':')[0])).toEqual(['started', 'resolved']);
    const kept = state?.subjects['probe:www.instagram.com:1'];
    expect(kept?.closedAt).toBeUndefined();
    expect(kept?.subject.status).toBe('investigating');
  });
});
