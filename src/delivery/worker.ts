import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import type { GroupingPolicy } from '../incidents/grouping.js';
import type { Delivery, Platform } from '../incidents/subscription.js';
import { REAL_TIMERS, type Timers } from '../scheduler/timers.js';
import type { PlatformFilter, Store } from '../store/store.js';
import type { ChatAdapter } from './chat-adapter.js';
import { FailureOutcomes } from './failure-outcomes.js';
import { asDeliveryError, planFailure, planNoAdapter } from './failure-policy.js';
import { describePlan, GroupedThreads } from './grouped-threads.js';
import { keepLease } from './lease-heartbeat.js';

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

/**
 * Drains the outbox: claims deliveries (one per thread at a time, so a thread stays in order),
 * hands each to its platform's adapter, records the thread root, and retries what failed.
 * Nothing is dropped except the deliveries of a channel the platform says is gone; what happens
 * after a failure is decided in failure-policy.ts and carried out in failure-outcomes.ts.
 */
export class DeliveryWorker {
  private timer: unknown;
  private running: Promise<unknown> | undefined;
  private again = false;
  /** Wake the drain loops waiting on slow sends, so new deliveries start in a free slot. */
  private readonly wakers = new Set<() => void>();
  private stopped = true;
  private stopping = false;

  private readonly outcomes: FailureOutcomes;
  private readonly groups: GroupedThreads | undefined;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.outcomes = new FailureOutcomes(options);
    const { grouping, store, now } = options;
    this.groups = grouping ? new GroupedThreads({ store, policy: grouping, now }) : undefined;
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

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    await this.running;
  }

  /** Run a pass now (new deliveries were enqueued); coalesces with a pass already running. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      for (const wake of this.wakers) wake();
      return;
    }
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.running = this.drain()
      .catch((err: unknown) => this.options.logger.error({ err }, 'delivery pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.timer = this.clock.setTimeout(() => this.kick(), this.options.idleMs ?? 1_000);
        }
      });
  }

  /**
   * Claims and sends until nothing is due. Up to `batchSize` sends per platform run at once, and a free slot is
   * refilled as soon as it frees up, so one slow channel (Slack pacing, a long rate limit) never
   * holds up the others. Exposed for tests and benchmarks.
   */
  async drain(): Promise<number> {
    const configured = [...this.options.adapters.keys()];
    // One claim loop per platform, each with slots of its own: a platform whose sends wait (Slack
    // paces each channel, Discord queues behind its global limit) never holds another's up.
    const counts = await Promise.all([
      ...configured.map((platform) => this.drainPlatforms({ only: platform })),
      this.drainPlatforms({ except: configured }),
    ]);
    return counts.reduce((a, b) => a + b, 0);
  }

  private async drainPlatforms(platforms: PlatformFilter): Promise<number> {
    const { store, owner, logger } = this.options;
    const slots = this.options.batchSize ?? 32;
    const inFlight = new Set<Promise<void>>();
    let sent = 0;
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
        // Nothing claimable now: stop claiming until a running send finishes (its thread's next
        // delivery may then be due).
        if (batch.length === 0) more = false;
        for (const delivery of batch) {
          const task: Promise<void> = this.deliverOne(delivery).then((ok) => {
            if (ok) sent++;
            inFlight.delete(task);
            more = true;
          });
          inFlight.add(task);
        }
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
    await Promise.all(inFlight);
    return sent;
  }

  private async deliverOne(delivery: Delivery): Promise<boolean> {
    const { store, owner, now } = this.options;
    const log = this.options.logger.child({
      delivery: delivery.id,
      platform: delivery.channel.platform,
      channel: delivery.channel.channelId,
      event: delivery.event.type,
    });
    const adapter = this.options.adapters.get(delivery.channel.platform);
    let sendStarted = false;
    try {
      if (!adapter) {
        log.warn('no adapter configured for this platform; delivery kept for later');
        await this.outcomes.apply(delivery, planNoAdapter(delivery, now()), log);
        return false;
      }
      const recorded = await store.getThread(delivery.thread);
      const skip = await this.reasonToSkip(delivery, recorded !== undefined);
      if (skip) {
        await store.completeDelivery(delivery, owner);
        log.info(skip);
        return false;
      }
      const groups = adapter.editGroupRoot ? this.groups : undefined;
      const plan = groups ? await groups.plan(delivery, recorded) : { thread: recorded };
      describePlan(delivery, plan, log);
      if (plan.hold) {
        // Not an attempt: nothing was sent, and the delivery keeps its place at its thread's head.
        await store.retryDelivery(delivery, owner, plan.hold, plan.reason);
        return false;
      }
      const thread = plan.thread;
      const beforeSend = async () => {
        if (sendStarted) return;
        sendStarted = true;
        await store.markAttempt(delivery.id);
      };
      const possiblySent = delivery.possiblySent === true;
      const stopHeartbeat = keepLease({ store, owner, leaseMs: this.leaseMs, delivery, log });
      const ref = await adapter
        .deliver({ delivery, thread, possiblySent, beforeSend })
        .finally(stopHeartbeat);
      if (plan.joins && thread) {
        // Root first, ref last: a crash before the ref repeats the reply (found, not posted again).
        await groups?.editRoot(delivery, thread, adapter);
        await store.putThread(delivery.thread, thread);
      } else if (ref && !thread) {
        await store.putThread(delivery.thread, ref);
      } else if (plan.editRoot && thread) {
        await groups?.memberChanged(delivery, thread, adapter);
      }
      await store.completeDelivery(delivery, owner);
      this.options.metrics?.deliveries.inc({ platform: adapter.platform, result: 'sent' });
      log.info({ latencyMs: now().getTime() - Date.parse(delivery.enqueuedAt) }, 'delivered');
      return true;
    } catch (err) {
      const failure = asDeliveryError(err);
      this.options.metrics?.deliveries.inc({
        platform: delivery.channel.platform,
        result: failure.kind,
      });
      const plan = planFailure(delivery, failure, {
        sendStarted,
        ...(this.options.random ? { random: this.options.random } : {}),
      });
      await this.outcomes.apply(delivery, plan, log, adapter);
      return false;
    }
  }

  /** Deliveries that must not be posted, and why; undefined when it should go out. */
  private async reasonToSkip(delivery: Delivery, hasThread: boolean): Promise<string | undefined> {
    const { event } = delivery;
    // The thread exists already (the start was posted, and the record of it survived a crash
    // or a subscription showed it first): a second start would be a duplicate.
    if (hasThread && event.type === 'started' && !event.combined) {
      return 'thread already started here; not posted again';
    }
    // Unsubscribed while this waited: open no new thread (a started one is still closed).
    if (!hasThread && !(await this.stillSubscribed(delivery))) {
      return 'channel no longer follows this service; not posted';
    }
    return undefined;
  }

  private async stillSubscribed(delivery: Delivery): Promise<boolean> {
    const subs = await this.options.store.listSubscriptionsForChannel(delivery.channel);
    return subs.some((sub) => sub.serviceId === delivery.event.serviceId && !sub.suspended);
  }
}
