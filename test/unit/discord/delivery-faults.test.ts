import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { Delivery } from '../../../src/incidents/subscription.js';
import { FAULTS } from '../../fakes/discord/index.js';
import { numberedThreadEvents } from '../../helpers/events.js';
import { subscription } from '../../helpers/subscriptions.js';
import { discordDelivery, incidentEvent } from './events.js';
import { type Harness, silent, startHarness } from './harness.js';

/** One incident's thread: start, `updates` updates, resolution, all for one channel. */
function incidentThread(n: number, updates: number, channelId: string): Delivery[] {
  const at = (m: number) => new Date(Date.parse(incidentEvent().at) + m * 60_000).toISOString();
  return numberedThreadEvents(n, updates).map((e, i) =>
    discordDelivery(e, channelId, { enqueuedAt: at(i), nextAttemptAt: new Date(0).toISOString() }),
  );
}

async function startWorker(h: Harness, channelIds: string[]): Promise<DeliveryWorker> {
  for (const channelId of channelIds) {
    await h.services.store.putSubscription(
      subscription({
        channel: discordDelivery(incidentEvent(), channelId).channel,
        mentionMinImpact: 'critical',
        createdBy: 'test',
      }),
    );
  }
  const worker = new DeliveryWorker({
    store: h.services.store,
    adapters: new Map([['discord', h.adapter]]),
    logger: silent,
    now: () => new Date(),
    owner: 'test-worker',
    idleMs: 50,
    random: () => 0,
  });
  worker.start();
  return worker;
}

describe('discord delivery under 429s and 5xx', () => {
  let h: Harness;
  let worker: DeliveryWorker | undefined;
  afterEach(async () => {
    await worker?.stop();
    await h?.close();
  });

  it('delivers every message once, in order within each thread', async () => {
    h = await startHarness({
      fake: { buckets: { 'POST /channels/:id/messages': { limit: 2, windowMs: 300 } } },
    });
    const channel = h.fake.channels.incidents.id;
    const isPost = (req: { path: string }) => /\/messages$/.test(req.path);
    // Every third message create is refused with a 429, every fifth fails with a 500 after it
    // was done (a lost response: only the nonce keeps the retry from doubling it), every seventh
    // with a plain 502; threads and edits get their share too.
    h.fake.addFault({ match: isPost, fault: FAULTS.rateLimit(0.2), every: 3 });
    h.fake.addFault({ match: isPost, fault: FAULTS.serverError(500), every: 5, afterEffect: true });
    h.fake.addFault({ match: isPost, fault: FAULTS.serverError(502), every: 7 });
    h.fake.addFault({
      route: 'POST /channels/:id/messages/:id/threads',
      fault: FAULTS.serverError(503),
      every: 2,
    });
    h.fake.addFault({
      route: 'PATCH /channels/:id/messages/:id',
      fault: FAULTS.rateLimit(0.1),
      every: 2,
    });

    const threads = [1, 2, 3].map((n) => incidentThread(n, 3, channel));
    await h.services.store.enqueue(threads.flat());
    worker = await startWorker(h, [channel]);
    await h.fake.waitFor(async () => (await h.services.store.pendingDeliveries()) === 0, {
      timeoutMs: 25_000,
      what: 'the outbox to drain',
    });
    expect(await h.services.store.pendingDeliveries()).toBe(0);

    const statuses = h.fake.calls.map((c) => c.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(3);
    expect(statuses.filter((s) => s >= 500).length).toBeGreaterThan(3);

    const roots = h.fake.messagesIn(channel);
    expect(roots.map((m) => m.embeds[0]?.title).sort()).toEqual([
      'Incident 1',
      'Incident 2',
      'Incident 3',
    ]);
    for (const n of [1, 2, 3]) {
      const root = roots.find((m) => m.embeds[0]?.title === `Incident ${n}`);
      expect(root?.thread?.id).toBe(root?.id);
      expect(root?.embeds[0]?.color).toBe(0x57f287);
      const inThread = h.fake.messagesIn(root?.id as string).map((m) => m.embeds[0]?.description);
      expect(inThread).toEqual([
        `update 1 of incident ${n}`,
        `update 2 of incident ${n}`,
        `update 3 of incident ${n}`,
        `incident ${n} resolved`,
      ]);
    }
    expect(h.fake.threadsOf(channel)).toHaveLength(3);
  }, 30_000);

  it('suspends the subscription of a channel that was deleted, and drops its queue', async () => {
    h = await startHarness();
    const channel = h.fake.channels.general.id;
    const ref = { platform: 'discord' as const, workspaceId: h.fake.guildId, channelId: channel };
    await h.services.store.putSubscription(
      subscription({ channel: ref, createdBy: '300000000000000001' }),
    );
    h.fake.state.removeChannel(channel);
    await h.services.store.enqueue(incidentThread(1, 1, channel));
    worker = await startWorker(h, []);
    const suspended = await h.fake.waitFor(
      async () => (await h.services.store.listSubscriptionsForChannel(ref))[0]?.suspended,
      { what: 'the subscription to be suspended' },
    );
    expect(suspended.reason).toMatch(/10003/);
    expect(await h.services.store.pendingDeliveries()).toBe(0);
  });

  it('keeps the queue of a channel it may not post in, and tells the subscriber once by DM', async () => {
    h = await startHarness();
    const channel = h.fake.channels.general.id;
    const subscriber = '300000000000000001';
    const ref = { platform: 'discord' as const, workspaceId: h.fake.guildId, channelId: channel };
    await h.services.store.putSubscription(subscription({ channel: ref, createdBy: subscriber }));
    // Send Messages denied in #general: Discord answers every post there 403 50013.
    const intoGeneral = (req: { method: string; path: string }) =>
      req.method === 'POST' && req.path.endsWith(`/channels/${channel}/messages`);
    h.fake.addFault({ match: intoGeneral, fault: FAULTS.missingPermissions() });
    const thread = incidentThread(1, 1, channel);
    await h.services.store.enqueue(thread);
    let clock = new Date();
    const w = new DeliveryWorker({
      store: h.services.store,
      adapters: new Map([['discord', h.adapter]]),
      logger: silent,
      now: () => clock,
      owner: 'test-worker',
      random: () => 1,
    });
    const dmText =
      `outage-bot cannot post incident updates in <#${channel}>, which you subscribed: it is ` +
      'missing the **Send Messages** permission there. The updates are kept and go out once it is granted.';
    const dms = () => h.fake.messagesIn(dmChannel(h, subscriber)).map((m) => m.content);

    expect(await w.drain()).toBe(0);
    expect(dms()).toEqual([dmText]);
    expect(await h.services.store.pendingDeliveries()).toBe(thread.length);
    const [sub] = await h.services.store.listSubscriptionsForChannel(ref);
    expect(sub?.suspended).toBeUndefined();
    // Still refused after the (long) backoff: retried, but nobody is told twice.
    clock = new Date(clock.getTime() + 6 * 60 * 60_000);
    expect(await w.drain()).toBe(0);
    expect(h.fake.callsTo('POST /channels/:id/messages').filter(intoGeneral)).toHaveLength(3);
    expect(dms()).toEqual([dmText]);
    // Granted: the whole thread goes out, once.
    h.fake.faults.clear();
    clock = new Date(clock.getTime() + 6 * 60 * 60_000);
    expect(await w.drain()).toBe(thread.length);
    expect(h.fake.messagesIn(channel)).toHaveLength(1);
    expect(await h.services.store.pendingDeliveries()).toBe(0);
  });
});

/** The id of the fake's DM channel with `userId` (opened by the bot's notice). */
function dmChannel(h: Harness, userId: string): string {
  const dm = [...h.fake.state.channels.values()].find((c) => c.name === `dm-${userId}`);
  if (!dm) throw new Error(`no DM channel with ${userId} was opened`);
  return dm.id;
}
