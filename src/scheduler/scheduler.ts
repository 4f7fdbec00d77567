import type { Logger } from 'pino';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import { ConcurrencyLimiter } from './limiter.js';
import { type CronTick, REAL_TIMERS, type Timers } from './timers.js';

/**
 * Only `failed` is the source's fault and backs it off. `store_unavailable` (the store failed),
 * `internal_error` (a bug, e.g. in reconcile) and `lease_lost` (another replica took the poll
 * over) neither back the source off nor reset it.
 */
export type PollOutcome =
  | 'ok'
  | 'not_modified'
  | 'failed'
  | 'skipped'
  | 'store_unavailable'
  | 'internal_error'
  | 'lease_lost';

/** Anything polled on a schedule: a service, or one source of one (src/sources/feeds.ts). */
export interface Pollable {
  id: string;
}

export interface SchedulerOptions<T extends Pollable = Pollable> {
  /** node-cron expression (POLL_SCHEDULE). */
  schedule: string;
  /** The services to poll on each tick (subscribed ones, plus WATCH). */
  services: () => Promise<T[]>;
  pollOne: (service: T, signal: AbortSignal) => Promise<PollOutcome>;
  logger: Logger;
  now: () => number;
  concurrency: number;
  /** A poll is abandoned (its slot freed) after this long, whatever the source does. */
  timeoutMs: number;
  /** Polls of one tick are spread over this window, by a stable hash of the service id. */
  jitterMs: number;
  backoff: BackoffPolicy;
  random?: () => number;
  /** After a poll: poll this target again this soon (a failing probe), else wait for the tick. */
  recheckAfter?: (target: T) => number | undefined;
  /** Cron ticks, jitter, re-checks and poll deadlines; the process's own by default. */
  timers?: Timers;
  /**
   * Replicas: before a scheduled poll, claim this target's cycle (the tick's scheduled time, the
   * same on every replica); only the replica that wins it polls, so each target is polled once per
   * cycle however many replicas run. Without it every tick polls.
   */
  claimCycle?: (target: T, cycle: PollCycle) => Promise<boolean>;
}

/** One tick of the schedule: its scheduled time, and how long its claims need to last. */
export interface PollCycle {
  at: number;
  ttlMs: number;
}

interface ServiceRun {
  inFlight: boolean;
  /** A jittered start is already pending for this service. */
  pending: boolean;
  /** Asked for while a poll ran (pollAfterCurrent): poll once more when it ends. */
  again: boolean;
  failures: number;
  notBefore: number;
}

/**
 * Fires polls on the cron schedule. Each service is polled at most once at a time; a slow or
 * hanging source holds one concurrency slot until its timeout and never delays the others; a
 * failing source backs off exponentially and comes back by itself when it answers again.
 */
export class PollScheduler<T extends Pollable = Pollable> {
  private readonly limiter: ConcurrencyLimiter;
  private readonly runs = new Map<string, ServiceRun>();
  private readonly timers = new Set<unknown>();
  private readonly clock: Timers;
  private readonly polling = new Set<Promise<PollOutcome>>();
  private task: { stop(): void } | undefined;
  private stopped = false;
  /** A tick is still reading its targets (from the store): later ticks wait for the next one. */
  private listing = false;

  constructor(private readonly options: SchedulerOptions<T>) {
    this.limiter = new ConcurrencyLimiter(options.concurrency);
    this.clock = options.timers ?? REAL_TIMERS;
  }

  start(): void {
    this.stopped = false;
    this.task = this.clock.cron(this.options.schedule, (tick) => {
      this.tickAlone(cycleOf(tick), 'scheduler tick failed');
    });
    // The first poll happens at start-up rather than a whole interval later.
    this.tickAlone(undefined, 'first tick failed');
  }

  /**
   * One tick at a time: with the store away each listing waits out its commands, and ticks
   * firing meanwhile would each add more waiting commands; skipped, they poll nothing anyway.
   */
  private tickAlone(cycle: PollCycle | undefined, failure: string): void {
    if (this.listing) {
      this.options.logger.debug('previous tick still reading its targets; this one skipped');
      return;
    }
    this.listing = true;
    this.tick(cycle)
      .catch((err: unknown) => this.options.logger.error({ err }, failure))
      .finally(() => {
        this.listing = false;
      });
  }

  /** Stops scheduling and waits (at most `graceMs`) for the polls already running to commit. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    this.task?.stop();
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
    // Wall time on purpose: a shutdown waits for real work, whatever clock the polls run on.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled([...this.polling]), grace]);
    clearTimeout(timer);
  }

  /**
   * Schedules one round of polls; each starts after its jitter offset. With `cycle` (a cron tick,
   * not the start-up round) each poll first claims the cycle, when claimCycle is set.
   */
  async tick(cycle?: PollCycle): Promise<void> {
    const services = await this.options.services();
    const now = this.options.now();
    for (const service of services) {
      const run = this.runFor(service.id);
      if (run.inFlight || run.pending || now < run.notBefore) continue;
      run.pending = true;
      this.later(jitterFor(service.id, this.options.jitterMs), () => {
        void this.claimed(service, cycle).then((mine) => {
          run.pending = false;
          if (mine) void this.pollNow(service);
        });
      });
    }
  }

  private async claimed(service: T, cycle: PollCycle | undefined): Promise<boolean> {
    const claim = this.options.claimCycle;
    if (!cycle || !claim) return true;
    try {
      if (await claim(service, cycle)) return true;
      this.options.logger.debug({ service: service.id }, 'another replica polls this cycle');
      return false;
    } catch {
      // The store is down: the poll finds out again, and counts it as a store failure.
      return true;
    }
  }

  /** Polls one service as soon as a slot is free (webhook triggers, tests). */
  pollNow(service: T): Promise<PollOutcome> {
    const run = this.runFor(service.id);
    if (run.inFlight || this.stopped) return Promise.resolve('skipped');
    run.inFlight = true;
    const settled = this.limiter
      .run(() =>
        this.stopped ? Promise.resolve<PollOutcome>('skipped') : this.pollWithTimeout(service),
      )
      .then((outcome) => {
        this.record(service, run, outcome);
        this.scheduleRecheck(service, run);
        if (run.again) {
          run.again = false;
          // Next turn: inFlight is cleared when the source's own promise settles.
          this.later(0, () => this.pollAfterCurrent(service));
        }
        return outcome;
      });
    this.polling.add(settled);
    void settled.finally(() => this.polling.delete(settled));
    return settled;
  }

  /**
   * Polls now, or once the poll in flight ends: what it read may predate the news that asked for
   * this (a user report arriving mid-poll), so skipping would leave it to the next tick.
   */
  pollAfterCurrent(service: T): void {
    const run = this.runFor(service.id);
    if (this.stopped) return;
    if (!run.inFlight) {
      void this.pollNow(service);
      return;
    }
    run.again = true;
  }

  private async pollWithTimeout(service: T): Promise<PollOutcome> {
    const controller = new AbortController();
    let timer: unknown;
    const poll = this.options.pollOne(service, controller.signal).catch((err: unknown) => {
      this.options.logger.error({ err, service: service.id }, 'poll crashed');
      return 'failed' as const;
    });
    const deadline = new Promise<PollOutcome>((resolve) => {
      timer = this.clock.setTimeout(() => {
        controller.abort(new Error('poll timed out'));
        this.options.logger.warn(
          { service: service.id, timeoutMs: this.options.timeoutMs },
          'poll abandoned after timeout',
        );
        resolve('failed');
      }, this.options.timeoutMs);
    });
    try {
      return await Promise.race([poll, deadline]);
    } finally {
      this.clock.clearTimeout(timer);
      // A source that ignores its abort signal must still not be polled twice at once.
      void poll.finally(() => {
        const run = this.runs.get(service.id);
        if (run) run.inFlight = false;
      });
    }
  }

  private record(service: T, run: ServiceRun, outcome: PollOutcome): void {
    if (outcome === 'failed') {
      run.failures++;
      const delay = backoffDelay(run.failures, this.options.backoff, this.options.random);
      run.notBefore = this.options.now() + delay;
      this.options.logger.debug(
        { service: service.id, failures: run.failures, retryInMs: delay },
        'backing off',
      );
    } else if (outcome === 'ok' || outcome === 'not_modified') {
      if (run.failures > 0) this.options.logger.info({ service: service.id }, 'source recovered');
      run.failures = 0;
      run.notBefore = 0;
    }
  }

  private scheduleRecheck(service: T, run: ServiceRun): void {
    const delay = this.options.recheckAfter?.(service);
    if (delay === undefined || run.pending) return;
    run.pending = true;
    this.later(delay, () => {
      run.pending = false;
      void this.pollNow(service);
    });
  }

  private runFor(id: string): ServiceRun {
    let run = this.runs.get(id);
    if (!run) {
      run = { inFlight: false, pending: false, again: false, failures: 0, notBefore: 0 };
      this.runs.set(id, run);
    }
    return run;
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }
}

/** Stable per service, so a thousand services spread evenly instead of firing at once. */
export function jitterFor(serviceId: string, windowMs: number): number {
  if (windowMs <= 0) return 0;
  let hash = 2166136261;
  for (let i = 0; i < serviceId.length; i++) {
    hash ^= serviceId.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % windowMs;
}

/** A claim outlives its cycle by one more interval, whatever the clocks of the replicas. */
function cycleOf({ at, next }: CronTick): PollCycle {
  const interval = next !== undefined && next > at ? next - at : 60_000;
  return { at, ttlMs: Math.max(2_000, 2 * interval) };
}
