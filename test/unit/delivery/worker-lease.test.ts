import { Writable } from 'node:stream';
import { pino } from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatAdapter, DeliveryRequest } from '../../../src/delivery/chat-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { ChannelRef, Delivery, Platform } from '../../../src/incidents/subscription.js';
import type { Store } from '../../../src/store/store.js';
import { deliveryFor, incidentEvent } from '../../helpers/events.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';

/** Outbox lease heartbeats: a send slower than the lease stays this replica's, and only while it runs. */

const channel: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
// Long enough that a starved event loop on a loaded machine still renews before the lease lapses.
const LEASE_MS = 1_200;

/** A platform whose sends stay in flight until the test lets them go. */
class HeldPlatform implements ChatAdapter {
  readonly platform: Platform = 'slack';
  readonly sent: string[] = [];
  inFlight = false;
  private release: () => void = () => {};
  async start() {}
  async stop() {}
  async deliver(req: DeliveryRequest) {
    this.inFlight = true;
    await new Promise<void>((resolve) => {
      this.release = resolve;
    });
    this.inFlight = false;
    this.sent.push(req.delivery.id);
    return { channelId: 'C1', rootId: 'root' };
  }
  letGo(): void {
    this.release();
  }
}

/**
 * `store`, with its lease renewals counted (as begun, and as answered) and, when `answer` is
 * given, answered by it.
 */
function watchRenewals(store: Store, answer?: boolean) {
  const renewals: boolean[] = [];
  const begun = { count: 0 };
  const watched = new Proxy(store, {
    get: (target, key) => {
      if (key === 'renewDeliveryLease') {
        return async (delivery: Delivery, owner: string, leaseMs: number) => {
          begun.count++;
          const held = answer ?? (await target.renewDeliveryLease(delivery, owner, leaseMs));
          renewals.push(held);
          return held;
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: watched, renewals, begun };
}

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

describe.each(['embedded', 'redis'] as const)(
  'DeliveryWorker lease heartbeat (%s store)',
  (kind) => {
    const { t } = storePerTest(kind);
    const d = deliveryFor(incidentEvent(), channel);

    beforeEach(async () => {
      await t.store.putSubscription(subscription({ channel }));
      await t.store.enqueue([d]);
    });

    const worker = (store: Store, platform: ChatAdapter, logger = pino({ level: 'silent' })) =>
      new DeliveryWorker({
        store,
        adapters: new Map([[platform.platform, platform]]),
        logger,
        now: () => new Date(),
        owner: 'first',
        leaseMs: LEASE_MS,
      });

    it('keeps a send that outlasts several leases from being claimed by another replica', async () => {
      const platform = new HeldPlatform();
      const { store, renewals, begun } = watchRenewals(t.store);
      const replica = t.open();
      const draining = worker(store, platform).drain();
      await vi.waitFor(() => expect(platform.inFlight).toBe(true), { timeout: 15_000 });
      // Until the send has outlasted three renewals (however slowly a loaded machine gets there),
      // another replica finds nothing to claim.
      while (renewals.length < 3) {
        const stolen = await replica.claimDeliveries({
          owner: 'second',
          now: new Date(Date.now() + 60_000),
          limit: 10,
          leaseMs: 60_000,
        });
        expect(stolen).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(renewals.every(Boolean)).toBe(true);

      platform.letGo();
      expect(await draining).toBe(1);
      expect(platform.sent).toEqual([d.id]);
      // The heartbeat ended with the send: no renewal begins in the next three intervals (one
      // begun before the send ended may still be answered meanwhile).
      const count = begun.count;
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
      expect(begun.count).toBe(count);
      expect(await t.store.pendingDeliveries()).toBe(0);
    });

    it('warns once when a renewal finds the lease gone, and still finishes the send', async () => {
      const platform = new HeldPlatform();
      const { store, renewals } = watchRenewals(t.store, false);
      const { logger, lines } = capturedLogger();
      const draining = worker(store, platform, logger).drain();
      const lost = () => lines.filter((l) => /lease lost/.test(String(l.msg)));
      await vi.waitFor(() => expect(lost()).toHaveLength(1), { timeout: 15_000 });
      // Renewing stops once the lease is known lost.
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
      expect(renewals).toEqual([false]);
      expect(lost()[0]).toMatchObject({ level: 40, delivery: d.id });
      platform.letGo();
      expect(await draining).toBe(1);
      expect(lost()).toHaveLength(1);
    });
  },
);
