import { describe, expect, it, vi } from 'vitest';
import type { Delivery } from '../../src/incidents/subscription.js';
import type { Store } from '../../src/store/store.js';
import { type StoreKind, storePerTest } from '../helpers/stores.js';
import { channel, delivery, later, state, T0 } from './store-fixtures.js';

const LONG = 60_000;
const ids = (ds: Delivery[]) => ds.map((d) => d.id);
/** Lease expiry is the point of these tests: it can only be waited out, by the real clock. */
const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/** The outbox half of the Store contract, against both implementations on real backends. */
describe.each<StoreKind>(['embedded', 'redis', 'redis-cluster'])(
  'Store outbox contract: %s',
  (kind) => {
    const { t, store } = storePerTest(kind);
    const claim = (owner: string, now = T0, limit = 10, leaseMs = LONG, on = store) =>
      on.claimDeliveries({ owner, now, limit, leaseMs });

    it('hands out a delivery exactly as it was enqueued', async () => {
      const d = delivery('inc1', 0);
      await store.commitPoll(state('github'), [d]);
      expect(await claim('a')).toEqual([d]);
    });

    it('hands out one thread in order, the next only after the previous completed', async () => {
      const [d0, d1, d2] = [delivery('inc1', 0), delivery('inc1', 1), delivery('inc1', 2)];
      expect(await store.enqueue([d0, d1, d2])).toBe(3);
      expect(ids(await claim('a'))).toEqual([d0.id]);
      expect(await claim('b')).toEqual([]);
      expect(await claim('a')).toEqual([]); // not twice to its own holder either
      await store.completeDelivery(d0, 'a');
      expect(ids(await claim('b'))).toEqual([d1.id]);
      await store.completeDelivery(d1, 'b');
      expect(ids(await claim('a'))).toEqual([d2.id]);
      await store.completeDelivery(d2, 'a');
      expect(await claim('a')).toEqual([]);
      expect(await store.pendingDeliveries()).toBe(0);
      // Delivered ids are remembered: re-running the poll enqueues nothing.
      expect(await store.commitPoll(state('github'), [d0, d1, d2])).toBe(0);
      expect(await store.enqueue([d2])).toBe(0);
    });

    it('appends to a thread whose head is in flight', async () => {
      await store.enqueue([delivery('inc1', 0)]);
      const [head] = await claim('a');
      await store.enqueue([delivery('inc1', 1)]);
      expect(await claim('b')).toEqual([]);
      await store.completeDelivery(head as Delivery, 'a');
      expect(ids(await claim('b'))).toEqual([delivery('inc1', 1).id]);
    });

    it('hands out different threads in parallel, one head each, up to the limit', async () => {
      const c2 = channel('C2');
      await store.enqueue([
        delivery('inc1', 0),
        delivery('inc1', 1),
        delivery('inc2', 0),
        delivery('inc2', 1),
        delivery('inc1', 0, c2),
      ]);
      const first = await claim('a', T0, 2);
      expect(first).toHaveLength(2);
      const second = await claim('b', T0, 10);
      expect([...ids(first), ...ids(second)].sort()).toEqual(
        [delivery('inc1', 0).id, delivery('inc2', 0).id, delivery('inc1', 0, c2).id].sort(),
      );
      expect(await claim('c', T0, 0)).toEqual([]);
    });

    it('hands out only due deliveries, the longest-waiting first', async () => {
      const x = delivery('x', 0, channel('C1'), later(2_000));
      const y = delivery('y', 0, channel('C1'), later(1_000));
      const z = delivery('z', 0, channel('C1'), T0);
      await store.enqueue([x, y, z]);
      expect(ids(await claim('a', later(1_500)))).toEqual([z.id, y.id]);
      expect(ids(await claim('a', later(5_000)))).toEqual([x.id]);
    });

    it('never lets two replicas claim the same delivery', async () => {
      const replica = t.open();
      const all = Array.from({ length: 30 }, (_, i) => delivery(`inc${i}`, 0));
      await store.enqueue(all);
      const rounds = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          claim(`owner-${i}`, T0, 3, LONG, i % 2 ? replica : store),
        ),
      );
      const claimed = ids(rounds.flat());
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.sort()).toEqual(ids(all).sort());
    });

    it('delivers every item once and in thread order with two replicas working at once', async () => {
      const replicas = [store, t.open()];
      const threads = 12;
      const perThread = 4;
      const all: Delivery[] = [];
      for (let n = 0; n < perThread; n++) {
        for (let i = 0; i < threads; i++) all.push(delivery(`inc${i}`, n));
      }
      await store.enqueue(all);
      const sent: Delivery[] = [];
      const work = async (replica: Store, owner: string) => {
        while ((await replica.pendingDeliveries()) > 0) {
          for (const d of await claim(owner, T0, 5, LONG, replica)) {
            await replica.markAttempt(d.id);
            sent.push(d);
            await replica.completeDelivery(d, owner);
          }
        }
      };
      await Promise.all(replicas.flatMap((r, i) => [work(r, `w${i}a`), work(r, `w${i}b`)]));
      expect(sent).toHaveLength(all.length);
      expect(new Set(ids(sent)).size).toBe(all.length);
      for (let i = 0; i < threads; i++) {
        const order = sent.filter((d) => d.event.threadKey === `github:inc${i}`);
        expect(ids(order)).toEqual(
          Array.from({ length: perThread }, (_, n) => delivery(`inc${i}`, n).id),
        );
      }
    });

    it('lets another owner claim once the holder lease expired', async () => {
      const [d0, d1] = [delivery('inc1', 0), delivery('inc1', 1)];
      await store.enqueue([d0, d1]);
      // Real time: the Redis lease expires by the server's clock.
      expect(ids(await claim('a', new Date(), 10, 100))).toEqual([d0.id]);
      const taken = await vi.waitFor(
        async () => {
          const got = await claim('b', new Date());
          expect(got).toHaveLength(1);
          return got;
        },
        { timeout: 5_000, interval: 20 },
      );
      expect(ids(taken)).toEqual([d0.id]);
      // The late first owner finishing does not free the thread that b now holds.
      await store.completeDelivery(d0, 'a');
      expect(await claim('c', new Date())).toEqual([]);
      await store.completeDelivery(d0, 'b');
      expect(ids(await claim('c', new Date()))).toEqual([d1.id]);
    });

    it('renewing a lease keeps the thread its own past the original expiry', async () => {
      const [d0, d1] = [delivery('inc1', 0), delivery('inc1', 1)];
      await store.enqueue([d0, d1]);
      // A lease long enough that a loaded machine still renews it in time.
      expect(ids(await claim('a', new Date(), 10, 1_000))).toEqual([d0.id]);
      const claimedBy = Date.now();
      expect(await store.renewDeliveryLease(d0, 'a', LONG)).toBe(true);
      // Past the 1 s the claim asked for: only the renewal can keep others out now.
      await sleepUntil(claimedBy + 1_200);
      expect(await claim('b', new Date())).toEqual([]);
      expect(await claim('b', new Date(Date.now() + 5_000))).toEqual([]);
      expect(await store.renewDeliveryLease(d0, 'a', LONG)).toBe(true);
      await store.completeDelivery(d0, 'a');
      expect(ids(await claim('b', new Date()))).toEqual([d1.id]);
    });

    it('refuses a renewal by a non-owner, or after the lease expired and was taken over', async () => {
      const d0 = delivery('inc1', 0);
      await store.enqueue([d0]);
      expect(await store.renewDeliveryLease(d0, 'a', LONG)).toBe(false); // never claimed
      await claim('a', new Date(), 10, 100);
      // Timed from the claim's answer: the lease ran out 100 ms after it at the latest.
      const claimedBy = Date.now();
      expect(await store.renewDeliveryLease(d0, 'b', LONG)).toBe(false);
      await sleepUntil(claimedBy + 300);
      expect(await store.renewDeliveryLease(d0, 'a', LONG)).toBe(false); // expired
      expect(ids(await claim('b', new Date()))).toEqual([d0.id]);
      expect(await store.renewDeliveryLease(d0, 'a', LONG)).toBe(false); // b holds it now
      expect(await claim('c', new Date(Date.now() + 5_000))).toEqual([]);
      expect(await store.renewDeliveryLease(d0, 'b', LONG)).toBe(true);
      await store.completeDelivery(d0, 'b');
      expect(await store.renewDeliveryLease(d0, 'b', LONG)).toBe(false); // no longer queued
    });

    it('retries at the head of its thread, not before nextAttemptAt, with the attempt count', async () => {
      const [d0, d1] = [delivery('inc1', 0), delivery('inc1', 1)];
      await store.enqueue([d0, d1, delivery('inc2', 0)]);
      expect(ids(await claim('a', T0, 1))).toEqual([d0.id]);
      await store.markAttempt(d0.id);
      await store.retryDelivery(d0, 'a', later(60_000), 'HTTP 500');
      expect(ids(await claim('b', later(30_000)))).toEqual([delivery('inc2', 0).id]);
      const [again] = await claim('b', later(60_000));
      expect(again).toEqual({
        ...d0,
        attempts: 1,
        nextAttemptAt: later(60_000).toISOString(),
        lastError: 'HTTP 500',
        possiblySent: true,
      });
      await store.markAttempt(d0.id);
      await store.completeDelivery(again as Delivery, 'b');
      expect(await claim('b', later(60_000))).toEqual([d1]);
    });

    it('ignores a retry from an owner that no longer holds the thread', async () => {
      const d0 = delivery('inc1', 0);
      await store.enqueue([d0]);
      await claim('a');
      await store.retryDelivery(d0, 'intruder', T0, 'late');
      expect(await claim('b')).toEqual([]);
      await store.retryDelivery(d0, 'a', T0, 'timeout');
      expect(await claim('b')).toEqual([{ ...d0, lastError: 'timeout' }]);
    });

    it('drops every undelivered delivery of a channel, and does not take them back', async () => {
      const c1 = channel('C1');
      const c2 = channel('C2');
      const dropped = [delivery('inc1', 0, c1), delivery('inc1', 1, c1), delivery('inc2', 0, c1)];
      const kept = delivery('inc1', 0, c2);
      await store.enqueue([...dropped, kept]);
      await claim('a', T0, 1); // one of them in flight
      expect(await store.dropDeliveriesForChannel(c1)).toBe(3);
      expect(await store.dropDeliveriesForChannel(c1)).toBe(0);
      expect(await store.pendingDeliveries()).toBe(1);
      expect(await store.enqueue(dropped)).toBe(0);
      expect(ids(await claim('b', T0))).toEqual([kept.id]);
      await store.completeDelivery(kept, 'b');
      expect(await store.pendingDeliveries()).toBe(0);
    });

    it('says when the longest-waiting delivery was enqueued, until none is left', async () => {
      expect(await store.oldestPendingEnqueuedAt()).toBeUndefined();
      const at = (ms: number) => ({ enqueuedAt: new Date(T0.getTime() + ms).toISOString() });
      const first = { ...delivery('inc1', 0), ...at(5_000) };
      const second = { ...delivery('inc2', 0, channel('C2')), ...at(9_000) };
      const third = { ...delivery('inc3', 0, channel('C3')), ...at(7_000) };
      await store.enqueue([first]);
      await store.enqueue([second]);
      await store.enqueue([third]);
      expect(await store.oldestPendingEnqueuedAt()).toEqual(new Date(T0.getTime() + 5_000));
      await claim('a', T0, 10);
      await store.completeDelivery(first, 'a');
      expect(await store.oldestPendingEnqueuedAt()).toEqual(new Date(T0.getTime() + 7_000));
      expect(await store.dropDeliveriesForChannel(channel('C3'))).toBe(1);
      expect(await store.oldestPendingEnqueuedAt()).toEqual(new Date(T0.getTime() + 9_000));
      await store.completeDelivery(second, 'a');
      expect(await store.oldestPendingEnqueuedAt()).toBeUndefined();
    });

    it('keeps the outbox, attempts and thread order across a restart', async () => {
      const [d0, d1] = [delivery('inc1', 0), delivery('inc1', 1)];
      await store.enqueue([d0, d1]);
      await claim('a', T0, 10, 1);
      await store.markAttempt(d0.id);
      await store.close();
      const reopened = t.open();
      expect(await reopened.pendingDeliveries()).toBe(2);
      const [again] = await vi.waitFor(
        async () => {
          const got = await reopened.claimDeliveries({
            owner: 'b',
            now: new Date(),
            limit: 10,
            leaseMs: LONG,
          });
          expect(got).toHaveLength(1);
          return got;
        },
        { timeout: 15_000, interval: 20 },
      );
      expect(again).toEqual({ ...d0, attempts: 1, possiblySent: true });
    });

    it('counts attempts that never reached the platform, and forgets a send proven not posted', async () => {
      const d0 = delivery('inc1', 0);
      await store.enqueue([d0]);
      await claim('a');
      // Refused before anything went out (paced, say): counted, but nothing to look for.
      await store.retryDelivery({ ...d0, attempts: 1 }, 'a', T0, 'rate_limited: paced');
      const [first] = await claim('a');
      expect(first).toEqual({ ...d0, attempts: 1, lastError: 'rate_limited: paced' });
      // A send that may have posted: the next attempt is told so.
      await store.markAttempt(d0.id);
      await store.retryDelivery({ ...(first as Delivery), attempts: 2 }, 'a', T0, 'transient: 500');
      const [second] = await claim('a');
      expect(second).toMatchObject({ attempts: 2, possiblySent: true });
      // That attempt looked, found nothing, and its post got a 429: nothing is out there.
      await store.markAttempt(d0.id);
      const notPosted = { ...(second as Delivery), attempts: 3, possiblySent: false };
      await store.retryDelivery(notPosted, 'a', T0, 'rate_limited: 429');
      const [third] = await claim('a');
      expect(third).toEqual({ ...d0, attempts: 3, lastError: 'rate_limited: 429' });
    });
  },
);
