import { schedule as cronSchedule } from 'node-cron';

/**
 * Time as the scheduler and the delivery worker see it: the process's timers and node-cron in
 * production, a simulated clock in a replay (src/replay/sim-clock.ts), so that hours of an outage
 * can play in seconds through the same code.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Calls `onTick` on the cron `schedule` (POLL_SCHEDULE) until stopped. */
  cron(schedule: string, onTick: (tick: CronTick) => void): { stop(): void };
}

/** One firing of a cron schedule: when it was due, and when the next one is (if known). */
export interface CronTick {
  at: number;
  next: number | undefined;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  cron: (schedule, onTick) => {
    const task = cronSchedule(schedule, (context) =>
      onTick({ at: context.date.getTime(), next: task.getNextRun()?.getTime() }),
    );
    return task;
  },
};
