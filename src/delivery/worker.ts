import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import type { GroupingPolicy } from '../incidents/grouping.js';
import type { Delivery, Platform } from '../incidents/subscription.js';
import { REAL_TIMERS, type Timers } from '../scheduler/timers.js';
import type { PlatformFilter, Store } from '../store/store.js';
import type { ChatAdapter } from './chat-adapter.js';
import { FailureOutcomes } from './failure-outcomes.js';
import { GroupedThreads } from './grouped-threads.js';
import { type HeldDelivery, handBack, type WorkerStopReport } from './hand-back.js';
import { type Admission, PlatformGates, type Reachability } from './platform-gate.js';
import { type SendContext, sendOne } from './send-one.js';
import { SendPass } from './send-pass.js';

export interface DeliveryWorkerOptions {
  store: Store;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  logger: Logger;
  now: () => Date;
  metrics?: Metrics;
  /** Identifies this replica in outbox leases. */
  owner: string;
  batchSize?: number;
  /**
   * How long a claimed thread stays this replica's without a heartbeat (default 20 s). Renewed
   * every third of it while a send is in flight; after a crash, the time until another replica
   * (or the restarted process) takes the thread over.
   */
  leaseMs?: number;
  /** How often the outbox is checked when nobody kicks the worker. */
  idleMs?: number;
  random?: () => number;
  /** For the idle re-check; the process's own by default (a replay passes its simulated clock). */
  timers?: Timers;
  /**
   * Simultaneous starts in one channel become one group's thread (rule 8), on platforms whose
   * adapter can edit a group's root. Absent: never.
   */
  grouping?: GroupingPolicy;
}

const DEFAULT_LEASE_MS = 20_000;
/** How long stop() waits for sends already on the wire, by default. */
export const DEFAULT_STOP_GRACE_MS = 5_000;

/**
 * Drains the outbox: claims deliveries (one per thread at a time, so a thread stays in order),
 * hands each to its platform's adapter, records the thread root, and retries what failed.
 * Nothing is dropped except the deliveries of a channel the platform says is gone; what happens
 * after a failure is decided in failure-policy.ts and carried out in failure-outcomes.ts.
 */
export class DeliveryWorker {
  private timer: unknown;
  /** Each claim loop's pass running now, and whether it was kicked meanwhile (drain). */
  private readonly loops = new Map<string, { running?: Promise<unknown>; again: boolean }>();
  /** Wake the drain loops waiting on slow sends, so new deliveries start in a free slot. */
  private readonly wakers = new Set<() => void>();
  private stopped = true;
  private stopping = false;
  private readonly held = new Map<string, HeldDelivery>();

  private readonly outcomes: FailureOutcomes;
  private readonly groups: GroupedThreads | undefined;
  private readonly gates: PlatformGates;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.outcomes = new FailureOutcomes(options);
    const { grouping, store, now } = options;
    this.groups = grouping ? new GroupedThreads({ store, policy: grouping, now }) : undefined;
    this.gates = new PlatformGates(options.random ? { random: options.random } : {});
  }

  private get sender(): SendContext {
    return {
      options: this.options,
      outcomes: this.outcomes,
      groups: this.groups,
      leaseMs: this.leaseMs,
      stopping: () => this.stopping,
    };
  }

  private get clock(): Timers {
    return this.options.timers ?? REAL_TIMERS;
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  start(): void {
    this.stopped = false;
    this.stopping = false;
    this.kick();
  }

  /**
   * Claims nothing more; hands back at once every held delivery whose send has not started, and
   * waits at most `graceMs` for the ones on the wire. Those still unanswered then stay leased
   * (handing them back could let another replica post while the platform is still taking the
   * first copy in); their lease runs out and the next claim looks for the copy before sending.
   */
  async stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<WorkerStopReport> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    for (const wake of this.wakers) wake();
    const notStarted = [...this.held.values()].filter((h) => !h.sendStarted);
    const onTheWire = [...this.held.values()].filter((h) => h.sendStarted);
    await Promise.all(notStarted.map((h) => handBack(h, this.options)));
    // Wall time on purpose: a shutdown waits for real answers, whatever clock the worker runs on.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all(onTheWire.map((h) => h.settled)), grace]);
    clearTimeout(timer);
    const left = onTheWire.filter((h) => this.held.has(h.delivery.id));
    for (const h of left) h.stopHeartbeat?.();
    const report = {
      handedBack: notStarted.length,
      finished: onTheWire.length - left.length,
      leftToLease: left.length,
    };
    this.options.logger.info(report, 'delivery worker stopped');
    return report;
  }

  /**
   * Run a pass now (new deliveries were enqueued); coalesces with a pass already running. Each
   * platform's loop is kicked on its own: one whose sends hang must not keep another from
   * claiming what was enqueued since its last pass.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const filter of this.loopFilters()) this.kickLoop(filter);
  }

  private kickLoop(filter: PlatformFilter): void {
    const key = JSON.stringify(filter);
    const loop = this.loops.get(key) ?? { again: false };
    this.loops.set(key, loop);
    if (loop.running) {
      loop.again = true;
      for (const wake of this.wakers) wake();
      return;
    }
    loop.running = this.drainPlatforms(filter)
      .catch((err: unknown) => this.options.logger.error({ err }, 'delivery pass failed'))
      .finally(() => {
        loop.running = undefined;
        if (this.stopped) return;
        if (loop.again) {
          loop.again = false;
          this.kickLoop(filter);
        } else if (this.timer === undefined) {
          this.timer = this.clock.setTimeout(() => this.kick(), this.options.idleMs ?? 1_000);
        }
      });
  }

  /** One claim loop per configured platform, one more for platforms with no adapter. */
  private loopFilters(): PlatformFilter[] {
    const configured = [...this.options.adapters.keys()];
    return [...configured.map((platform) => ({ only: platform })), { except: configured }];
  }

  /**
   * Claims and sends until nothing is due. Up to `batchSize` sends per platform run at once, and a
   * free slot is refilled as soon as it frees up, so one slow channel (Slack pacing, a long rate
   * limit) never holds up the others; a platform that is down is backed off (send-pass.ts).
   * Exposed for tests and benchmarks.
   */
  async drain(): Promise<number> {
    // One claim loop per platform, each with slots of its own: a platform whose sends wait (Slack
    // paces each channel, Discord queues behind its global limit) never holds another's up.
    const counts = await Promise.all(this.loopFilters().map((f) => this.drainPlatforms(f)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async drainPlatforms(platforms: PlatformFilter): Promise<number> {
    const { store, owner, logger } = this.options;
    const slots = this.options.batchSize ?? 32;
    const pass = new SendPass({
      gates: this.gates,
      nowMs: () => this.options.now().getTime(),
      send: (delivery) => this.deliverOne(delivery),
      holdBack: (delivery, admission) => this.holdBack(delivery, admission),
    });
    const inFlight = pass.tasks;
    let more = true;
    while (!this.stopping && (more || inFlight.size > 0)) {
      if (more && inFlight.size < slots) {
        let batch: Delivery[];
        try {
          batch = await store.claimDeliveries({
            owner,
            now: this.options.now(),
            limit: slots - inFlight.size,
            leaseMs: this.leaseMs,
            platforms,
          });
        } catch (err) {
          logger.warn({ err }, 'outbox unavailable; will retry');
          batch = [];
          more = false;
        }
        // Claimed while stop() ran: not ours to send any more.
        if (this.stopping) {
          const unsent = batch.map((delivery) => ({
            delivery,
            sendStarted: false,
            handedBack: false,
          }));
          await Promise.all(unsent.map((held) => handBack(held, this.options)));
          break;
        }
        // Nothing claimable now: stop claiming until a running send finishes (its thread's next
        // delivery may then be due).
        if (batch.length === 0) more = false;
        for (const delivery of batch) pass.dispatch(delivery);
        if (batch.length > 0) continue;
      }
      if (inFlight.size > 0) {
        let wake: () => void = () => {};
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
        });
        this.wakers.add(wake);
        await Promise.race([...inFlight, woken]);
        this.wakers.delete(wake);
        more = true;
      }
    }
    await pass.close();
    return pass.sent;
  }

  /**
   * Puts a claimed delivery back, untried, until its platform may take it: no attempt counted,
   * its last error and possiblySent kept, so its own retry history is untouched.
   */
  private async holdBack(delivery: Delivery, admission: Exclude<Admission, { send: true }>) {
    const { platform } = delivery.channel;
    this.options.metrics?.deliveryDeferrals.inc({ platform });
    try {
      const error = delivery.lastError || `held: ${admission.reason}`;
      await this.options.store.retryDelivery(
        delivery,
        this.options.owner,
        new Date(admission.untilMs),
        error,
      );
    } catch (err) {
      // Its lease runs out and it is claimed again: late, never lost.
      this.options.logger.warn({ err, delivery: delivery.id }, 'could not hold a delivery back');
    }
  }

  /** One send of the pass, held (for stop()) from its start until its outcome is recorded. */
  private async deliverOne(delivery: Delivery): Promise<{ sent: boolean; reach: Reachability }> {
    let reach: Reachability = 'untested';
    const held: HeldDelivery = { delivery, sendStarted: false, handedBack: false };
    this.held.set(delivery.id, held);
    const settled = sendOne(this.sender, held, (seen) => {
      reach = seen;
    });
    held.settled = settled.then(() => undefined);
    const sent = await settled.finally(() => this.held.delete(delivery.id));
    return { sent, reach };
  }
}
