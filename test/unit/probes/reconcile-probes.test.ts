import { describe, expect, it } from 'vitest';
import type { ProbeResult, Snapshot } from '../../../src/incidents/model.js';
import { reconcile } from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';

const URL = 'https://www.facebook.com/';
const T0 = Date.parse('2021-10-04T15:40:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const OPTIONS = { serviceName: 'Facebook', probeFailuresToOpen: 3, probeRecoveriesToClose: 2 };

const down = (seconds: number, detail = 'DNS SERVFAIL'): ProbeResult => ({
  ok: false,
  at: at(seconds),
  stage: 'dns',
  detail,
});
const up = (seconds: number): ProbeResult => ({ ok: true, at: at(seconds), status: 200 });

const snapshot = (result: ProbeResult): Snapshot => ({
  serviceId: 'facebook',
  fetchedAt: result.at,
  incidents: [],
  maintenances: [],
  components: [],
  resolutionsKnown: false,
  probe: { url: URL, result },
});

/** Runs the checks in order; returns every poll's events as `type: body` lines. */
function run(checks: ProbeResult[], start?: ServiceState) {
  let state = start;
  const lines: string[][] = [];
  for (const check of checks) {
    const result = reconcile(state, snapshot(check), OPTIONS);
    state = result.state;
    lines.push(result.events.map((e) => `${e.type}: ${e.update?.body ?? ''}`));
  }
  return { state, lines };
}

describe('probe checks counted into incidents', () => {
  it('opens after three failed checks in a row, saying what failed and since when', () => {
    const { lines } = run([up(0), down(15), down(30), down(45)]);
    expect(lines).toEqual([
      [],
      [],
      [],
      [
        'started: Probe: DNS SERVFAIL for www.facebook.com since 15:40 UTC (3 failed checks in a row).',
      ],
    ]);
  });

  it('a success between failures starts the count again', () => {
    const { lines } = run([up(0), down(15), down(30), up(45), down(60), down(75)]);
    expect(lines.flat()).toEqual([]);
  });

  it('resolves after two good checks, and one good check alone changes nothing', () => {
    const { lines, state } = run([up(0), down(15), down(30), down(45), up(60), down(75)]);
    expect(lines.flat()).toHaveLength(1);
    const after = run([down(90), up(105), up(120)], state);
    expect(after.lines).toEqual([
      [],
      [],
      ['resolved: Probe: www.facebook.com answers again (HTTP 200), 2 good checks in a row.'],
    ]);
  });

  it('a change of what fails is one update in the same thread; the same failure again is not', () => {
    const { state } = run([up(0), down(15), down(30), down(45)]);
    const next = run(
      [down(60), down(75, 'connection refused'), down(90, 'connection refused')],
      state,
    );
    expect(next.lines).toEqual([
      [],
      ['updated: Probe: now connection refused for www.facebook.com (failing since 15:40 UTC).'],
      [],
    ]);
    const subjects = Object.values(next.state?.subjects ?? {});
    expect(subjects.map((s) => s.subject.title)).toEqual(['www.facebook.com: connection refused']);
  });

  it('one incident id for a run of failures, the same when the poll is re-run', () => {
    const { state } = run([up(0), down(15), down(30)]);
    const a = reconcile(state, snapshot(down(45)), OPTIONS);
    const b = reconcile(state, snapshot(down(45)), OPTIONS);
    expect(a.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
    expect(a.events[0]?.threadKey).toBe(`facebook:probe:www.facebook.com:${T0 + 15_000}`);
  });

  it('failing again soon after recovering goes back into the same thread', () => {
    const { state } = run([up(0), down(15), down(30), down(45), up(60), up(75)]);
    const again = run([down(90), down(105), down(120)], state);
    const events = again.lines.flat();
    expect(events).toEqual([
      'reopened: Probe: DNS SERVFAIL for www.facebook.com since 15:41 UTC (3 failed checks in a row).',
    ]);
    expect(Object.keys(again.state?.subjects ?? {})).toHaveLength(1);
  });

  it('on the very first poll the count starts but nothing is announced', () => {
    const options = { ...OPTIONS, probeFailuresToOpen: 1 };
    const first = reconcile(undefined, snapshot(down(0)), options);
    expect(first.events).toEqual([]);
    expect(Object.values(first.state.subjects).map((s) => s.subject.status)).toEqual([
      'investigating',
    ]);
  });
});
