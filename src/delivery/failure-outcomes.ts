import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import { channelKey, type Delivery } from '../incidents/subscription.js';
import type { Store } from '../store/store.js';
import type { ChatAdapter } from './chat-adapter.js';
import type { FailurePlan } from './failure-policy.js';

const DEAD_LETTER_TTL_MS = 30 * 24 * 60 * 60_000;
/**
 * A channel is told about a missing permission once; the record of that lasts this long, so a
 * permission still missing a month later is mentioned again rather than forgotten.
 */
const PERMISSION_NOTICE_TTL_MS = 30 * 24 * 60 * 60_000;

export interface FailureOutcomeOptions {
  store: Store;
  owner: string;
  now: () => Date;
  metrics?: Metrics;
}

/** Carries out a FailurePlan against the store (and, for a missing permission, the platform). */
export class FailureOutcomes {
  constructor(private readonly options: FailureOutcomeOptions) {}

  async apply(
    delivery: Delivery,
    plan: FailurePlan,
    log: Logger,
    adapter?: ChatAdapter,
  ): Promise<void> {
    try {
      if (plan.action === 'suspend') return await this.suspendChannel(delivery, plan.reason, log);
      if (plan.action === 'park') return await this.park(delivery, plan.reason, log);
      log[plan.level](
        { err: plan.error, attempts: plan.next.attempts, retryInMs: plan.delayMs },
        'delivery failed; will retry',
      );
      const at = new Date(this.options.now().getTime() + plan.delayMs);
      await this.options.store.retryDelivery(plan.next, this.options.owner, at, plan.error);
      this.options.metrics?.deliveryRetries.inc({
        platform: delivery.channel.platform,
        reason: plan.error.split(':')[0] ?? plan.error,
      });
      if (plan.permission && adapter) {
        await this.noticeMissingPermission(delivery, plan.permission, adapter, log);
      }
    } catch (storeErr) {
      // The lease expires and the delivery is claimed again: late, never lost.
      log.error({ err: storeErr }, 'could not record delivery failure');
    }
  }

  private async suspendChannel(delivery: Delivery, reason: string, log: Logger): Promise<void> {
    const { store, now } = this.options;
    const subs = await store.listSubscriptionsForChannel(delivery.channel);
    for (const sub of subs) {
      if (!sub.suspended) {
        await store.putSubscription({ ...sub, suspended: { at: now().toISOString(), reason } });
      }
    }
    const dropped = await store.dropDeliveriesForChannel(delivery.channel);
    log.warn(
      { reason, subscriptions: subs.length, dropped },
      'channel gone (deleted, or the bot was removed): its subscriptions are suspended',
    );
  }

  /**
   * A delivery that cannot go out (a message the platform keeps refusing, a platform no longer
   * configured) must not hold its thread forever: it is kept aside as a dead letter for an
   * operator to read, and the thread goes on.
   */
  private async park(delivery: Delivery, reason: string, log: Logger): Promise<void> {
    const { store, owner, now } = this.options;
    const at = now().toISOString();
    await store.putDoc(`dead-letter:${delivery.id}`, { delivery, reason, at }, DEAD_LETTER_TTL_MS);
    await store.completeDelivery(delivery, owner);
    this.options.metrics?.deliveries.inc({ platform: delivery.channel.platform, result: 'parked' });
    log.error(
      { reason, attempts: delivery.attempts + 1, deadLetter: `dead-letter:${delivery.id}` },
      'delivery cannot go out; parked as a dead letter so its thread can go on',
    );
  }

  /** Once per channel and permission: the queue waits, and people learn why. */
  private async noticeMissingPermission(
    delivery: Delivery,
    permission: string,
    adapter: ChatAdapter,
    log: Logger,
  ): Promise<void> {
    const { store } = this.options;
    const key = `permission-notice:${channelKey(delivery.channel)}:${permission}`;
    if (await store.getDoc(key)) return;
    if (!adapter.notifyMissingPermission) return;
    const subs = await store.listSubscriptionsForChannel(delivery.channel);
    const owner =
      subs.find((s) => s.serviceId === delivery.event.serviceId) ?? subs.find((s) => s.createdBy);
    try {
      const where = await adapter.notifyMissingPermission({
        channel: delivery.channel,
        permission,
        ...(owner?.createdBy ? { userId: owner.createdBy } : {}),
      });
      log.warn({ permission, told: where }, 'bot lacks a permission here; deliveries wait for it');
    } catch (err) {
      log.warn({ permission, err: String(err) }, 'bot lacks a permission and could tell nobody');
    }
    // Recorded either way: a notice that could go nowhere is not retried on every delivery.
    await store.putDoc(key, { at: this.options.now().toISOString() }, PERMISSION_NOTICE_TTL_MS);
  }
}
