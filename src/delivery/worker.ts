import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import type { GroupingPolicy } from '../incidents/grouping.js';
import type { Delivery, Platform } from '../incidents/subscription.js';
import { REAL_TIMERS, type Timers } from '../scheduler/timers.js';
import type { PlatformFilter, Store } from '../store/store.js';
import { type ChatAdapter, changedRef } from './chat-adapter.js';
import { FailureOutcomes } from './failure-outcomes.js';
import { asDeliveryError, planFailure, planNoAdapter } from './failure-policy.js';
import { describePlan, GroupedThreads } from './grouped-threads.js';
import { HandedBack, type HeldDelivery, handBack, type WorkerStopReport } from './hand-back.js';
import { keepLease } from './lease-heartbeat.js';
import { type Admission, PlatformGates, type Reachability } from './platform-gate.js';
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
  /** The drain passes running now (one per platform loop): stop() empties their lines. */
  private readonly passes = new Set<SendPass>();

  private readonly outcomes: FailureOutcomes;
  private readonly groups: GroupedThreads | undefined;
  private readonly gates: PlatformGates;
  private readonly share: number;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.outcomes = new FailureOutcomes(options);
    const { grouping, store, now } = options;
    this.groups = grouping ? new GroupedThreads({ store, policy: grouping, now }) : undefined;
    const slots = options.batchSize ?? 32;
    // Each platform's claim loop has slots of its own (drain), so its gate admits all of them: a
    // smaller share would put claimed starts back behind later updates of other channels.
    this.share = slots;
    this.gates = new PlatformGates({
      share: this.share,
      ...(options.random ? { random: options.random } : {}),
    });
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
    await Promise.all([
      ...notStarted.map((h) => handBack(h, this.options)),
      ...[...this.passes].map((pass) => pass.releaseWaiting()),
    ]);
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
      waitingPerPlatform: this.share,
      nowMs: () => this.options.now().getTime(),
      send: (delivery) => this.deliverOne(delivery),
      holdBack: (delivery, admission) => this.holdBack(delivery, admission),
      keepLease: (delivery) =>
        keepLease({ store, owner, leaseMs: this.leaseMs, delivery, log: logger }),
    });
    this.passes.add(pass);
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
    this.passes.delete(pass);
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
    const settled = this.sendOne(held, (seen) => {
      reach = seen;
    });
    held.settled = settled.then(() => undefined);
    const sent = await settled.finally(() => this.held.delete(delivery.id));
    return { sent, reach };
  }

  private async sendOne(held: HeldDelivery, saw: (reach: Reachability) => void): Promise<boolean> {
    const { delivery } = held;
    const { store, owner, now } = this.options;
    const log = this.options.logger.child({
      delivery: delivery.id,
      platform: delivery.channel.platform,
      channel: delivery.channel.channelId,
      event: delivery.event.type,
    });
    const adapter = this.options.adapters.get(delivery.channel.platform);
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
        if (held.sendStarted) return;
        // Shutting down: a send that has not started is handed back rather than begun.
        if (held.handedBack || this.stopping) throw new HandedBack();
        held.sendStarted = true;
        await store.markAttempt(delivery.id);
      };
      const possiblySent = delivery.possiblySent === true;
      if (held.handedBack) throw new HandedBack();
      held.stopHeartbeat = keepLease({ store, owner, leaseMs: this.leaseMs, delivery, log });
      const ref = await adapter
        .deliver({ delivery, thread, possiblySent, beforeSend })
        .then(
          (answer) => {
            saw('reachable');
            return answer;
          },
          (err: unknown) => {
            saw(asDeliveryError(err).kind === 'transient' ? 'unreachable' : 'reachable');
            throw err;
          },
        )
        .finally(held.stopHeartbeat);
      // The group's start message follows its members (platform calls: a failure is retried).
      if (plan.joins && thread) await groups?.editRoot(delivery, thread, adapter);
      else if (plan.editRoot && thread) await groups?.memberChanged(delivery, thread, adapter);
      this.options.metrics?.deliveries.inc({ platform: adapter.platform, result: 'sent' });
      this.options.metrics?.observeDelivered(adapter.platform, delivery.event, now());
      try {
        // Root first, ref last: a crash before the ref repeats the reply (found, not posted again).
        if (!thread) {
          if (ref) await store.putThread(delivery.thread, ref);
        } else if (ref && changedRef(thread, ref)) {
          // The reply opened the thread (Discord opens it lazily): the group's copy follows.
          await store.putThread(delivery.thread, ref);
          if (thread.groupId) await store.putThread(thread.groupId, ref);
        } else if (plan.joins) await store.putThread(delivery.thread, thread);
        await store.completeDelivery(delivery, owner);
      } catch (err) {
        // Not the platform's failure: it has the message. The lease runs out, and the next claim
        // (marked as possibly sent) finds the message there instead of posting it again.
        log.warn({ err }, 'delivered, but the store could not record it; the retry looks first');
        return true;
      }
      log.info({ latencyMs: now().getTime() - Date.parse(delivery.enqueuedAt) }, 'delivered');
      return true;
    } catch (err) {
      // Shutting down before it was sent: back to the outbox, due now; nothing more to record.
      if (!held.handedBack && this.stopping && !held.sendStarted)
        await handBack(held, this.options);
      if (held.handedBack) return false;
      const failure = asDeliveryError(err);
      const { platform } = delivery.channel;
      this.options.metrics?.deliveries.inc({ platform, result: failure.kind });
      this.options.metrics?.deliveryFailures.inc({ platform, kind: failure.kind });
      const plan = planFailure(delivery, failure, {
        sendStarted: held.sendStarted,
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
