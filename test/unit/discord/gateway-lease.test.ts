import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Lease, type LeaseStore } from '../../../adapters/discord/gateway-lease.js';
import { createTestStore, type TestStore } from '../../helpers/stores.js';
import { silent } from './harness.js';

/**
 * The gateway lease's rounds on a clock the test moves (vitest's fake timers, which the embedded
 * store's expiry follows too), so lateness is exact: a loaded machine cannot change the outcome.
 */

const TTL = 3_000;
const LEASE = 'discord:gateway';

describe('gateway lease rounds', () => {
  let t: TestStore;
  beforeEach(async () => {
    // First, so that the store's clock (Date.now, read when it is made) is the fake one too.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    t = await createTestStore('embedded');
  });
  afterEach(async () => {
    vi.useRealTimers();
    await t.cleanup();
  });

  /** The store, with the answers of chosen calls held back (the call itself takes effect). */
  function lateAnswers() {
    const delays = new Map<number, number>();
    let calls = 0;
    const store: LeaseStore = {
      async tryLease(name, owner, ttlMs) {
        calls += 1;
        const won = await t.store.tryLease(name, owner, ttlMs);
        const delay = delays.get(calls) ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        return won;
      },
      releaseLease: (name, owner) => t.store.releaseLease(name, owner),
    };
    return { store, delays, calls: () => calls };
  }

  function holder(store: LeaseStore) {
    const lost: string[] = [];
    const lease = new Lease({
      store,
      name: LEASE,
      owner: 'holder',
      ttlMs: TTL,
      logger: silent,
      onAcquired: () => undefined,
      onLost: async (reason) => {
        lost.push(reason);
      },
      clock: () => Date.now(),
    });
    return { lease, lost };
  }

  it('keeps the lease through renewals that are each answered late, but within a third of it', async () => {
    const late = lateAnswers();
    const { lease, lost } = holder(late.store);
    await lease.start();
    expect(lease.holds).toBe(true);

    // Two renewals in a row answered late (a starved event loop, a slow store), each well within
    // a round (ttl/3), together longer than one. The second must be asked ttl/3 after the first
    // was, not ttl/3 after its late answer, or its answer would come after the deadline (2/3 of a
    // lease after the first was asked) although the store still holds the lease for this replica.
    late.delays.set(2, (TTL / 3) * 0.7);
    late.delays.set(3, (TTL / 3) * 0.4);
    await vi.advanceTimersByTimeAsync(2 * TTL);

    expect(lost).toEqual([]);
    expect(lease.holds).toBe(true);
    expect(late.calls()).toBeGreaterThanOrEqual(6);
    expect(await t.open().tryLease(LEASE, 'another replica', TTL)).toBe(false);
    await lease.stop();
  });

  it('still lets go at its deadline when the renewal is never answered', async () => {
    const late = lateAnswers();
    const { lease, lost } = holder(late.store);
    await lease.start();
    late.delays.set(2, 10 * TTL);
    // Last renewed at the start: it leaves 2/3 of a lease later, a third before the lease ends,
    // whatever the unanswered round and the ones after it are doing.
    await vi.advanceTimersByTimeAsync((TTL * 2) / 3 - 1);
    expect(lease.holds).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(lost).toEqual(['the gateway lease could not be renewed in time']);
    expect(lease.holds).toBe(false);
    const stopped = lease.stop(); // waits for the unanswered round
    await vi.advanceTimersByTimeAsync(10 * TTL);
    await stopped;
  });
});
