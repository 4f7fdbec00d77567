import type { CronTick, Timers } from '../scheduler/timers.js';

interface SimTimer {
  at: number;
  /** Order of scheduling: timers due at the same moment fire in the order they were set. */
  seq: number;
  fn: () => void;
}

/**
 * Simulated time for a replay. Nothing fires by itself: the driver (run-replay.ts) asks for the
 * next due timer and runs it, so hours of an outage can play at any speed, and two runs of the
 * same timeline fire the same timers in the same order.
 */
export class SimClock implements Timers {
  private current: number;
  private seq = 0;
  private readonly pending = new Map<number, SimTimer>();
  /** Grows with every timer set or fired: the replay's sign that work is still going on. */
  activity = 0;

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  date(): Date {
    return new Date(this.current);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = ++this.seq;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.pending.set(handle, { at: this.current + delay, seq: handle, fn });
    this.activity++;
    return handle;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.pending.delete(handle);
  }

  /** Fires on each multiple of the schedule's period, as cron does for the forms below. */
  cron(schedule: string, onTick: (tick: CronTick) => void): { stop(): void } {
    const period = cronPeriodMs(schedule);
    let handle: unknown;
    let stopped = false;
    const arm = () => {
      const next = (Math.floor(this.current / period) + 1) * period;
      handle = this.setTimeout(() => {
        if (stopped) return;
        arm();
        onTick({ at: next, next: next + period });
      }, next - this.current);
    };
    arm();
    return {
      stop: () => {
        stopped = true;
        this.clearTimeout(handle);
      },
    };
  }

  /** When the next timer is due; undefined when none is set. */
  nextAt(): number | undefined {
    return this.earliest()?.at;
  }

  /** Moves time to the earliest timer and fires it; false when there is none. */
  runNext(): boolean {
    const timer = this.earliest();
    if (!timer) return false;
    this.pending.delete(timer.seq);
    this.current = Math.max(this.current, timer.at);
    this.activity++;
    timer.fn();
    return true;
  }

  /** Moves time forward to `ms` without firing anything (timers due earlier must be run first). */
  advanceTo(ms: number): void {
    const next = this.nextAt();
    if (next !== undefined && next < ms) {
      throw new Error(`a timer is due at ${new Date(next).toISOString()}, before the target`);
    }
    this.current = Math.max(this.current, ms);
  }

  private earliest(): SimTimer | undefined {
    let best: SimTimer | undefined;
    for (const timer of this.pending.values()) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq))
        best = timer;
    }
    return best;
  }
}

/**
 * The period of the cron expressions a replay can simulate: every field `*` except a leading
 * `*` or `*\/N` in the seconds (six fields) or minutes (five fields) position.
 */
export function cronPeriodMs(schedule: string): number {
  const fields = schedule.trim().split(/\s+/);
  const unit = fields.length === 6 ? 1_000 : fields.length === 5 ? 60_000 : 0;
  const [first = '', ...rest] = fields;
  const step = first === '*' ? 1 : /^\*\/\d+$/.test(first) ? Number(first.slice(2)) : 0;
  if (unit === 0 || step <= 0 || rest.some((f) => f !== '*')) {
    throw new Error(
      `a replay simulates POLL_SCHEDULE of the form "* * * * *", "*/N * * * *" or "*/N * * * * *", not "${schedule}"`,
    );
  }
  return unit * step;
}
