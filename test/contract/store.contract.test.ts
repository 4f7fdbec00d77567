import { describe, expect, it, vi } from 'vitest';
import { type StoreKind, storeKindName, storePerTest } from '../helpers/stores.js';
import { channel, delivery, state, subscription } from './store-fixtures.js';

/** The contract every Store keeps, run against both implementations on real backends. */
describe.each<StoreKind>(['embedded', 'redis', 'redis-cluster'])('Store contract: %s', (kind) => {
  const { t, store } = storePerTest(kind);

  it('reports its kind and answers ping', async () => {
    expect(store.kind).toBe(storeKindName(kind));
    expect(await store.ping()).toBe(true);
  });

  it('round-trips service state', async () => {
    expect(await store.getState('github')).toBeUndefined();
    await store.commitPoll(state('github', ['u1']), []);
    expect(await store.getState('github')).toEqual(state('github', ['u1']));
    await store.commitPoll(state('github', ['u1', 'u2']), []);
    expect(await store.getState('github')).toEqual(state('github', ['u1', 'u2']));
    expect(await store.getState('slack')).toBeUndefined();
  });

  it('commitPoll saves state and enqueues each delivery id once, even when re-run', async () => {
    const batch = [delivery('inc1', 0), delivery('inc1', 1), delivery('inc2', 0)];
    expect(await store.commitPoll(state('github', ['u1']), batch)).toBe(3);
    expect(await store.commitPoll(state('github', ['u1']), batch)).toBe(0);
    // A duplicate inside one batch counts once.
    expect(await store.enqueue([delivery('inc3', 0), delivery('inc3', 0)])).toBe(1);
    expect(await store.pendingDeliveries()).toBe(4);
    expect(await store.getState('github')).toEqual(state('github', ['u1']));
  });

  it('keeps subscriptions per (service, channel), listed by channel and by service', async () => {
    const c1 = channel('C1');
    const c2 = channel('C2');
    expect(await store.putSubscription(subscription('github', c1))).toBe('created');
    expect(await store.putSubscription(subscription('slack', c1))).toBe('created');
    expect(await store.putSubscription(subscription('github', c2))).toBe('created');
    const updated = { ...subscription('github', c1), mention: 'channel' as const };
    expect(await store.putSubscription(updated)).toBe('updated');

    expect(await store.listSubscriptionsForChannel(c1)).toEqual([
      updated,
      subscription('slack', c1),
    ]);
    expect(await store.listSubscriptionsForService('github')).toEqual([
      updated,
      subscription('github', c2),
    ]);
    expect(await store.listSubscribedServiceIds()).toEqual(['github', 'slack']);

    expect(await store.removeSubscription('slack', c1)).toBe(true);
    expect(await store.removeSubscription('slack', c1)).toBe(false);
    expect(await store.listSubscribedServiceIds()).toEqual(['github']);
    expect(await store.listSubscriptionsForChannel(c1)).toEqual([updated]);
    expect(await store.listSubscriptionsForChannel(channel('C9'))).toEqual([]);
  });

  it('preserves the suspended flag of a subscription', async () => {
    const sub = {
      ...subscription('github', channel('C1')),
      suspended: { at: '2025-03-02T00:00:00.000Z', reason: 'channel_not_found' },
    };
    await store.putSubscription(sub);
    expect(await store.listSubscriptionsForService('github')).toEqual([sub]);
    expect(await store.listSubscriptionsForChannel(channel('C1'))).toEqual([sub]);
  });

  it("keeps a service's mute on its subscription, and drops it when put without one", async () => {
    const plain = subscription('github', channel('C1'));
    const muted = { ...plain, mutedUntil: '2025-03-02T01:00:00.000Z' };
    expect(await store.putSubscription(plain)).toBe('created');
    expect(await store.putSubscription(muted)).toBe('updated');
    expect(await store.listSubscriptionsForService('github')).toEqual([muted]);
    expect(await store.listSubscriptionsForChannel(channel('C1'))).toEqual([muted]);
    // The channel itself is not muted by it.
    expect(await store.getMute(channel('C1'))).toBeUndefined();
    await store.putSubscription(plain);
    expect(await store.listSubscriptionsForService('github')).toEqual([plain]);
  });

  it('stores thread refs by thread key', async () => {
    expect(await store.getThread('github:inc1|slack:T1:C1')).toBeUndefined();
    await store.putThread('github:inc1|slack:T1:C1', { channelId: 'C1', rootId: '1700.0001' });
    await store.putThread('github:inc1|discord:G1:C2', {
      channelId: 'C2',
      rootId: '99',
      threadId: '100',
    });
    expect(await store.getThread('github:inc1|slack:T1:C1')).toEqual({
      channelId: 'C1',
      rootId: '1700.0001',
    });
    expect(await store.getThread('github:inc1|discord:G1:C2')).toEqual({
      channelId: 'C2',
      rootId: '99',
      threadId: '100',
    });
  });

  it('grants a lease to one owner at a time, lets the holder renew and release it', async () => {
    expect(await store.tryLease('poll:github', 'a', 60_000)).toBe(true);
    expect(await store.tryLease('poll:github', 'b', 60_000)).toBe(false);
    expect(await store.tryLease('poll:github', 'a', 60_000)).toBe(true);
    expect(await store.tryLease('poll:slack', 'b', 60_000)).toBe(true);
    await store.releaseLease('poll:github', 'b'); // not the holder: no effect
    expect(await store.tryLease('poll:github', 'b', 60_000)).toBe(false);
    await store.releaseLease('poll:github', 'a');
    expect(await store.tryLease('poll:github', 'b', 60_000)).toBe(true);
  });

  it('lets a lease expire so another owner can take it', async () => {
    expect(await store.tryLease('gateway', 'a', 100)).toBe(true);
    expect(await store.tryLease('gateway', 'b', 100)).toBe(false);
    await vi.waitFor(async () => expect(await store.tryLease('gateway', 'b', 60_000)).toBe(true), {
      timeout: 5_000,
      interval: 20,
    });
    expect(await store.tryLease('gateway', 'a', 60_000)).toBe(false);
  });

  it('never grants one lease to two replicas racing for it', async () => {
    const replica = t.open();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? store : replica).tryLease('race', `owner-${i}`, 60_000),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('mutes a channel until a time, and unmutes it', async () => {
    const c1 = channel('C1');
    const until = new Date(Date.now() + 3_600_000);
    expect(await store.getMute(c1)).toBeUndefined();
    await store.setMute(c1, until);
    expect((await store.getMute(c1))?.toISOString()).toBe(until.toISOString());
    expect(await store.getMute(channel('C2'))).toBeUndefined();
    await store.setMute(c1, undefined);
    expect(await store.getMute(c1)).toBeUndefined();
  });

  it('treats a mute whose time has passed as no mute', async () => {
    await store.setMute(channel('C1'), new Date(Date.now() + 100));
    await vi.waitFor(async () => expect(await store.getMute(channel('C1'))).toBeUndefined(), {
      timeout: 5_000,
      interval: 20,
    });
    await store.setMute(channel('C2'), new Date(Date.now() - 1_000));
    expect(await store.getMute(channel('C2'))).toBeUndefined();
  });

  it('stores JSON documents, with an optional time to live', async () => {
    const doc = { list: [], nested: { n: 1, s: 'x' } };
    expect(await store.getDoc('prefs')).toBeUndefined();
    await store.putDoc('prefs', doc);
    expect(await store.getDoc('prefs')).toEqual(doc);
    await store.putDoc('prefs', { replaced: true });
    expect(await store.getDoc('prefs')).toEqual({ replaced: true });

    await store.putDoc('short', 'lived', 100);
    expect(await store.getDoc('short')).toBe('lived');
    await vi.waitFor(async () => expect(await store.getDoc('short')).toBeUndefined(), {
      timeout: 5_000,
      interval: 20,
    });
    expect(await store.getDoc('prefs')).toEqual({ replaced: true });
  });

  it('keeps everything after it is closed and opened again', async () => {
    const c1 = channel('C1');
    const until = new Date(Date.now() + 3_600_000);
    await store.commitPoll(state('github', ['u1']), [delivery('inc1', 0), delivery('inc1', 1)]);
    await store.putSubscription(subscription('github', c1));
    await store.putThread('t1', { channelId: 'C1', rootId: 'r1' });
    await store.tryLease('poll:github', 'a', 60_000);
    await store.setMute(c1, until);
    await store.putDoc('prefs', { a: 1 });
    const [first] = await store.claimDeliveries({
      owner: 'a',
      now: new Date(),
      limit: 5,
      leaseMs: 1,
    });
    if (!first) throw new Error('expected a delivery');
    await store.completeDelivery(first, 'a');
    await store.close();

    const reopened = t.open();
    expect(await reopened.ping()).toBe(true);
    expect(await reopened.getState('github')).toEqual(state('github', ['u1']));
    expect(await reopened.listSubscriptionsForChannel(c1)).toEqual([subscription('github', c1)]);
    expect(await reopened.listSubscribedServiceIds()).toEqual(['github']);
    expect(await reopened.getThread('t1')).toEqual({ channelId: 'C1', rootId: 'r1' });
    expect(await reopened.tryLease('poll:github', 'b', 60_000)).toBe(false);
    expect((await reopened.getMute(c1))?.toISOString()).toBe(until.toISOString());
    expect(await reopened.getDoc('prefs')).toEqual({ a: 1 });
    expect(await reopened.pendingDeliveries()).toBe(1);
    // The delivered id is still remembered, and the second one is still queued in its thread.
    expect(await reopened.enqueue([delivery('inc1', 0)])).toBe(0);
    const claimed = await reopened.claimDeliveries({
      owner: 'b',
      now: new Date(),
      limit: 5,
      leaseMs: 60_000,
    });
    expect(claimed.map((d) => d.id)).toEqual([delivery('inc1', 1).id]);
  });

  it('says it is not ready once closed', async () => {
    await store.close();
    expect(await store.ping()).toBe(false);
  });
});
