import { digestOf } from '../digest/digest-model.js';
import type { Delivery } from '../incidents/subscription.js';
import type { FailureOutcomes } from './failure-outcomes.js';
import { asDeliveryError, planFailure, planNoAdapter } from './failure-policy.js';
import { describePlan, type GroupedThreads } from './grouped-threads.js';
import { HandedBack, type HeldDelivery, handBack } from './hand-back.js';
import { keepLease } from './lease-heartbeat.js';
import type { Reachability } from './platform-gate.js';
import type { DeliveryWorkerOptions } from './worker.js';

/** What one send needs of its worker. */
export interface SendContext {
  options: DeliveryWorkerOptions;
  outcomes: FailureOutcomes;
  groups: GroupedThreads | undefined;
  leaseMs: number;
  /** The worker is shutting down: a send that has not started is handed back. */
  stopping(): boolean;
}

/**
 * One delivery through its platform's adapter: skipped when it must not go out, placed in a
 * group's thread or its own, sent, recorded; a failure goes to the failure policy. True when the
 * platform took it.
 */
export async function sendOne(
  ctx: SendContext,
  held: HeldDelivery,
  saw: (reach: Reachability) => void,
): Promise<boolean> {
  const { delivery } = held;
  const { store, owner, now } = ctx.options;
  const log = ctx.options.logger.child({
    delivery: delivery.id,
    platform: delivery.channel.platform,
    channel: delivery.channel.channelId,
    event: delivery.event.type,
  });
  const adapter = ctx.options.adapters.get(delivery.channel.platform);
  try {
    if (!adapter) {
      log.warn('no adapter configured for this platform; delivery kept for later');
      await ctx.outcomes.apply(delivery, planNoAdapter(delivery, now()), log);
      return false;
    }
    const recorded = await store.getThread(delivery.thread);
    const skip = await reasonToSkip(ctx, delivery, recorded !== undefined);
    if (skip) {
      await store.completeDelivery(delivery, owner);
      log.info(skip);
      return false;
    }
    const groups = adapter.editGroupRoot ? ctx.groups : undefined;
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
      if (held.handedBack || ctx.stopping()) throw new HandedBack();
      held.sendStarted = true;
      await store.markAttempt(delivery.id);
    };
    const possiblySent = delivery.possiblySent === true;
    if (held.handedBack) throw new HandedBack();
    held.stopHeartbeat = keepLease({ store, owner, leaseMs: ctx.leaseMs, delivery, log });
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
    ctx.options.metrics?.deliveries.inc({ platform: adapter.platform, result: 'sent' });
    ctx.options.metrics?.observeDelivered(adapter.platform, delivery.event, now());
    try {
      // Root first, ref last: a crash before the ref repeats the reply (found, not posted again).
      if (plan.joins && thread) await store.putThread(delivery.thread, thread);
      else if (ref && !thread) await store.putThread(delivery.thread, ref);
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
    if (!held.handedBack && ctx.stopping() && !held.sendStarted) await handBack(held, ctx.options);
    if (held.handedBack) return false;
    const failure = asDeliveryError(err);
    const { platform } = delivery.channel;
    ctx.options.metrics?.deliveries.inc({ platform, result: failure.kind });
    ctx.options.metrics?.deliveryFailures.inc({ platform, kind: failure.kind });
    const plan = planFailure(delivery, failure, {
      sendStarted: held.sendStarted,
      ...(ctx.options.random ? { random: ctx.options.random } : {}),
    });
    await ctx.outcomes.apply(delivery, plan, log, adapter);
    return false;
  }
}

/** Deliveries that must not be posted, and why; undefined when it should go out. */
async function reasonToSkip(
  ctx: SendContext,
  delivery: Delivery,
  hasThread: boolean,
): Promise<string | undefined> {
  const { event } = delivery;
  // Turned off while it waited (`/outage digest off`): not sent.
  if (digestOf(event)) {
    const on = await ctx.options.store.digests.get(delivery.channel);
    return on ? undefined : 'weekly digest turned off in this channel; not posted';
  }
  // The thread exists already (the start was posted, and the record of it survived a crash
  // or a subscription showed it first): a second start would be a duplicate.
  if (hasThread && event.type === 'started' && !event.combined) {
    return 'thread already started here; not posted again';
  }
  // Unsubscribed while this waited: open no new thread (a started one is still closed).
  if (!hasThread && !(await stillSubscribed(ctx, delivery))) {
    return 'channel no longer follows this service; not posted';
  }
  return undefined;
}

async function stillSubscribed(ctx: SendContext, delivery: Delivery): Promise<boolean> {
  const subs = await ctx.options.store.listSubscriptionsForChannel(delivery.channel);
  return subs.some((sub) => sub.serviceId === delivery.event.serviceId && !sub.suspended);
}
