import { describe, expect, it } from 'vitest';
import { cronPeriodMs, SimClock } from '../../../src/replay/sim-clock.js';

const T0 = Date.parse('2021-10-04T15:30:00Z');

/** Runs every timer due up to `until`, recording the simulated time each fired at. */
function runUntil(clock: SimClock, until: number): void {
  for (let next = clock.nextAt(); next !== undefined && next <= until; next = clock.nextAt())
    clock.runNext();
}

describe('SimClock', () => {
  it('fires timers in time order, those of one moment in the order they were set', () => {
    const clock = new SimClock(T0);
    const fired: string[] = [];
    const at = (label: string) => () => fired.push(`${label}@${clock.now() - T0}`);
    clock.setTimeout(at('late'), 5_000);
    clock.setTimeout(at('first'), 1_000);
    clock.setTimeout(at('second'), 1_000);
    clock.setTimeout(at('now'), -10);
    runUntil(clock, T0 + 10_000);
    expect(fired).toEqual(['now@0', 'first@1000', 'second@1000', 'late@5000']);
    expect(clock.nextAt()).toBeUndefined();
  });

  it('forgets a cleared timer, and a timer set while one fires runs after it', () => {
    const clock = new SimClock(T0);
    const fired: number[] = [];
    const cleared = clock.setTimeout(() => fired.push(-1), 1_000);
    clock.setTimeout(() => {
      fired.push(clock.now() - T0);
      clock.setTimeout(() => fired.push(clock.now() - T0), 500);
    }, 2_000);
    clock.clearTimeout(cleared);
    runUntil(clock, T0 + 60_000);
    expect(fired).toEqual([2_000, 2_500]);
  });

  it('moves time only through timers, and never back', () => {
    const clock = new SimClock(T0);
    clock.setTimeout(() => {}, 1_000);
    expect(() => clock.advanceTo(T0 + 2_000)).toThrow(
      'a timer is due at 2021-10-04T15:30:01.000Z, before the target',
    );
    clock.runNext();
    clock.advanceTo(T0 + 2_000);
    clock.advanceTo(T0);
    expect(clock.date().toISOString()).toBe('2021-10-04T15:30:02.000Z');
  });

  it('ticks a cron schedule on the minute, as node-cron does, until stopped', () => {
    const clock = new SimClock(T0 + 12_345);
    const ticks: string[] = [];
    const task = clock.cron('* * * * *', () => ticks.push(clock.date().toISOString().slice(11)));
    runUntil(clock, T0 + 3 * 60_000);
    task.stop();
    runUntil(clock, T0 + 10 * 60_000);
    expect(ticks).toEqual(['15:31:00.000Z', '15:32:00.000Z', '15:33:00.000Z']);
  });

  it('reads the schedules a replay can simulate and refuses the others by name', () => {
    expect(cronPeriodMs('* * * * *')).toBe(60_000);
    expect(cronPeriodMs('*/5 * * * *')).toBe(300_000);
    expect(cronPeriodMs('*/30 * * * * *')).toBe(30_000);
    expect(() => cronPeriodMs('0 9 * * 1')).toThrow(
      'a replay simulates POLL_SCHEDULE of the form "* * * * *", "*/N * * * *" or "*/N * * * * *", not "0 9 * * 1"',
    );
  });
});
