import { describe, expect, it, vi } from 'vitest';
import type { Service } from '../../src/incidents/model.js';
import { channelKey } from '../../src/incidents/subscription.js';
import type { PlatformFilter } from '../../src/store/store.js';
import { createTestStore, type StoreKind, storePerTest } from '../helpers/stores.js';
import { channel, delivery, state, subscription, T0 } from './store-fixtures.js';

const page = (id: string): Service => ({
  id,
  name: `status.${id}.example`,
  aliases: [`status.${id}.example`],
  sources: [{ kind: 'statuspage', url: `https://status.${id}.example` }],
  trusted: false,
});

/** What the poll path needs from every Store: fenced commits, batch reads, chat-added pages. */
describe.each<StoreKind>(['embedded', 'redis', 'redis-cluster'])(
  'Store contract, poll path: %s',
  (kind) => {
    const { t, store } = storePerTest(kind);

    it('commits under a fence only while the lease is held by that owner', async () => {
      const fence = { name: 'poll:github', owner: 'a/1' };
      expect(await store.tryLease(fence.name, fence.owner, 60_000)).toBe(true);
      expect(await store.commitPoll(state('github', ['u1']), [delivery('inc1', 0)], fence)).toBe(1);

      await store.releaseLease(fence.name, fence.owner);
      expect(await store.tryLease(fence.name, 'b/2', 60_000)).toBe(true);
      const late = [delivery('inc1', 1), delivery('inc2', 0)];
      expect(await store.commitPoll(state('github', ['u1', 'u2']), late, fence)).toBe('lease_lost');
      expect(await store.getState('github')).toEqual(state('github', ['u1']));
      expect(await store.pendingDeliveries()).toBe(1);
      // Nor with no lease at all.
      await store.releaseLease(fence.name, 'b/2');
      expect(await store.commitPoll(state('github', ['u9']), late, fence)).toBe('lease_lost');
      expect(await store.pendingDeliveries()).toBe(1);
    });

    it('begins a poll with its lease and the state, or neither while another holds the lease', async () => {
      const fence = { name: 'poll:github', owner: 'a/1' };
      expect(await store.beginPoll(fence, 60_000, 'github')).toEqual({
        leased: true,
        state: undefined,
      });
      expect(await store.commitPoll(state('github', ['u1']), [delivery('inc1', 0)], fence)).toBe(1);
      // The commit released the lease: the next poll takes it and reads what was committed.
      const next = { name: 'poll:github', owner: 'b/2' };
      expect(await store.beginPoll(next, 60_000, 'github')).toEqual({
        leased: true,
        state: state('github', ['u1']),
      });
      expect(await store.beginPoll(fence, 60_000, 'github')).toEqual({ leased: false });
      expect(await store.tryLease(fence.name, fence.owner, 60_000)).toBe(false);
      // Its holder renews it with beginPoll as with tryLease.
      expect((await store.beginPoll(next, 60_000, 'github')).leased).toBe(true);
      expect(await store.commitPoll(state('github', ['u1', 'u2']), [], next)).toBe(0);
      expect(await store.tryLease(fence.name, 'c/3', 60_000)).toBe(true);
    });

    it('releases a lease soon: with the next poll start, or alone shortly after', async () => {
      const fence = { name: 'poll:github', owner: 'a/1' };
      expect((await store.beginPoll(fence, 60_000, 'github')).leased).toBe(true);
      store.releaseLeaseSoon(fence.name, fence.owner);
      // The next start (another service's, so not renewing this lease) carries the release.
      expect(
        (await store.beginPoll({ name: 'poll:gitlab', owner: 'a/2' }, 60_000, 'gitlab')).leased,
      ).toBe(true);
      expect(await store.tryLease(fence.name, 'b/1', 60_000)).toBe(true);
      // A release never frees a lease someone else holds by now.
      store.releaseLeaseSoon(fence.name, fence.owner);
      expect((await store.beginPoll(fence, 60_000, 'github')).leased).toBe(false);

      store.releaseLeaseSoon('poll:gitlab', 'a/2');
      await vi.waitFor(async () =>
        expect(await store.tryLease('poll:gitlab', 'b/2', 60_000)).toBe(true),
      );
    });

    it("claims one platform's deliveries, or every platform's but some", async () => {
      const to = (platform: string, channelId: string) => ({ ...channel(channelId), platform });
      const [slack, discord, mail] = [
        delivery('inc1', 0, to('slack', 'C1')),
        delivery('inc1', 0, to('discord', 'D1')),
        delivery('inc1', 0, to('mail', 'M1')),
      ];
      expect(await store.enqueue([slack, discord, mail])).toBe(3);
      const claim = (platforms: PlatformFilter) =>
        store.claimDeliveries({ owner: 'w', now: T0, limit: 10, leaseMs: 60_000, platforms });
      expect((await claim({ except: ['slack', 'discord'] })).map((d) => d.id)).toEqual([mail.id]);
      expect((await claim({ only: 'discord' })).map((d) => d.id)).toEqual([discord.id]);
      expect((await claim({ only: 'discord' })).map((d) => d.id)).toEqual([]);
      expect((await claim({ except: [] })).map((d) => d.id)).toEqual([slack.id]);
    });

    it('refuses a fenced commit once the lease has expired', async () => {
      const fence = { name: 'poll:github', owner: 'a/1' };
      expect(await store.tryLease(fence.name, fence.owner, 100)).toBe(true);
      // Expired once someone else can take it; given back at once, so no one holds it.
      await vi.waitFor(
        async () => expect(await store.tryLease(fence.name, 'probe', 60_000)).toBe(true),
        {
          timeout: 5_000,
          interval: 20,
        },
      );
      await store.releaseLease(fence.name, 'probe');
      expect(await store.commitPoll(state('github'), [delivery('inc1', 0)], fence)).toBe(
        'lease_lost',
      );
      expect(await store.pendingDeliveries()).toBe(0);
      expect(await store.getState('github')).toBeUndefined();
    });

    it('reads the mutes of many channels at once, muted ones only', async () => {
      const [c1, c2, c3] = [channel('C1'), channel('C2'), channel('C3')];
      const until = new Date(Date.now() + 3_600_000);
      await store.setMute(c1, until);
      await store.setMute(c3, new Date(Date.now() - 1_000));
      const mutes = await store.getMutes([c1, c2, c3]);
      expect([...mutes.keys()]).toEqual([channelKey(c1)]);
      expect(mutes.get(channelKey(c1))?.toISOString()).toBe(until.toISOString());
      expect((await store.getMutes([])).size).toBe(0);
    });

    it('reads many thread refs at once, those that exist only', async () => {
      await store.putThread('t1', { channelId: 'C1', rootId: 'r1' });
      await store.putThread('t3', { channelId: 'C3', rootId: 'r3', threadId: 'th3' });
      const refs = await store.getThreads(['t1', 't2', 't3']);
      expect(Object.fromEntries(refs)).toEqual({
        t1: { channelId: 'C1', rootId: 'r1' },
        t3: { channelId: 'C3', rootId: 'r3', threadId: 'th3' },
      });
      expect((await store.getThreads([])).size).toBe(0);
    });

    it('keeps each chat-added page as its own record, seen by another replica', async () => {
      const replica = t.open();
      await store.putChatService(page('acme'));
      await replica.putChatService(page('zeta'));
      expect(await replica.listChatServices()).toEqual([page('acme'), page('zeta')]);
      expect(await store.listChatServices()).toEqual([page('acme'), page('zeta')]);
      // Replacing one leaves the other alone: no shared document to overwrite.
      const renamed = { ...page('acme'), name: 'Acme' };
      await replica.putChatService(renamed);
      expect(await store.listChatServices()).toEqual([renamed, page('zeta')]);
    });
  },
);

describe.each<StoreKind>(['embedded', 'redis'])(
  'chat-added pages expire unfollowed: %s',
  (kind) => {
    // Long enough that the check right after the last unfollow comes inside it on a loaded machine.
    const GRACE_MS = 1_000;

    it('lasts while followed; expires a grace period after added unfollowed or unfollowed', async () => {
      const test = await createTestStore(kind, { chatServiceGraceMs: GRACE_MS });
      try {
        const { store } = test;
        const c1 = channel('C1');
        const c2 = channel('C2');
        await store.putChatService(page('never'));
        await store.putChatService(page('acme'));
        await store.putSubscription(subscription('acme', c1));
        await store.putSubscription(subscription('acme', c2));
        await vi.waitFor(
          async () => expect(await store.listChatServices()).toEqual([page('acme')]),
          { timeout: 5_000, interval: 20 },
        );
        await store.removeSubscription('acme', c1);
        // Re-added by another channel's URL while followed: still kept for good.
        await store.putChatService(page('acme'));
        // A negative check: nothing to wait for but time, twice the grace period.
        await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 2));
        expect(await store.listChatServices()).toEqual([page('acme')]);
        await store.removeSubscription('acme', c2);
        expect(await store.listChatServices()).toEqual([page('acme')]);
        await vi.waitFor(async () => expect(await store.listChatServices()).toEqual([]), {
          timeout: 5_000,
          interval: 20,
        });
      } finally {
        await test.cleanup();
      }
    });
  },
);
