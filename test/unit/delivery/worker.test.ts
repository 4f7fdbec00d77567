import { pino } from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ChatAdapter,
  DeliveryError,
  type DeliveryRequest,
} from '../../../src/delivery/chat-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import type { ChannelRef, Delivery, Platform } from '../../../src/incidents/subscription.js';
import { deliveryFor, incidentEvent } from '../../helpers/events.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';

const channel: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const start = new Date('2026-01-01T00:00:00Z');

/** Step `updateId` of incident inc1, at the start instant. */
function event(type: IncidentEvent['type'], updateId: string): IncidentEvent {
  const base = incidentEvent();
  return incidentEvent({
    id: `github:inc1:${type}:${updateId}`,
    type,
    subject: {
      ...base.subject,
      status: type === 'resolved' ? 'resolved' : 'investigating',
      startedAt: start.toISOString(),
    },
    update: {
      id: updateId,
      status: 'investigating',
      body: `body ${updateId}`,
      at: start.toISOString(),
    },
    at: start.toISOString(),
  });
}

const delivery = (e: IncidentEvent, to: ChannelRef = channel): Delivery =>
  deliveryFor(e, to, { enqueuedAt: start.toISOString(), nextAttemptAt: start.toISOString() });

const sub = subscription({ channel, mentionMinImpact: 'critical', createdAt: start.toISOString() });

/** A platform that answers with a scripted sequence of outcomes and records what it accepted. */
class ScriptedPlatform implements ChatAdapter {
  readonly platform: Platform = 'slack';
  readonly accepted: { id: string; threadRoot?: string; possiblySent: boolean }[] = [];
  constructor(private readonly script: (DeliveryError | 'ok')[]) {}
  async start() {}
  async stop() {}
  async deliver(req: DeliveryRequest) {
    const next = this.script.shift() ?? 'ok';
    // Like a real adapter: the failure came from a request that may have posted, unless the
    // error says it did not.
    await req.beforeSend?.();
    if (next !== 'ok') throw next;
    this.accepted.push({
      id: req.delivery.event.id,
      threadRoot: req.thread?.rootId,
      possiblySent: req.possiblySent,
    });
    return req.thread ? undefined : { channelId: 'C1', rootId: `root-of-${req.delivery.event.id}` };
  }
}

/**
 * A platform on which the thread `github:slow` hangs until released; it records the order in
 * which threads were sent (and when the slow send began).
 */
function slowThreadPlatform() {
  const order: string[] = [];
  let release: () => void = () => {};
  const platform: ChatAdapter = {
    platform: 'slack',
    async start() {},
    async stop() {},
    async deliver(req) {
      if (req.delivery.event.threadKey === 'github:slow') {
        order.push('slow started');
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      order.push(req.delivery.event.threadKey);
      return req.thread ? undefined : { channelId: 'C1', rootId: req.delivery.event.id };
    },
  };
  return { platform, order, release: () => release() };
}

/** The start of a one-message thread called `github:<key>`. */
const startOf = (key: string): IncidentEvent => ({
  ...event('started', key),
  id: `github:${key}:started`,
  threadKey: `github:${key}`,
});

describe.each(['embedded', 'redis'] as const)('DeliveryWorker on the %s store', (kind) => {
  const { t } = storePerTest(kind);
  let clock: Date;
  beforeEach(async () => {
    await t.store.putSubscription(sub);
    clock = start;
  });

  const worker = (platform: ChatAdapter, batchSize = 32) =>
    new DeliveryWorker({
      batchSize,
      store: t.store,
      adapters: new Map([[platform.platform, platform]]),
      logger: pino({ level: 'silent' }),
      now: () => clock,
      owner: 'test',
      random: () => 1,
    });

  it('delivers a thread in order, replies going to the root the start message created', async () => {
    const platform = new ScriptedPlatform([]);
    await t.store.enqueue([
      delivery(event('started', 'u1')),
      delivery(event('updated', 'u2')),
      delivery(event('resolved', 'u3')),
    ]);
    expect(await worker(platform).drain()).toBe(3);
    expect(platform.accepted).toEqual([
      { id: 'github:inc1:started:u1', threadRoot: undefined, possiblySent: false },
      {
        id: 'github:inc1:updated:u2',
        threadRoot: 'root-of-github:inc1:started:u1',
        possiblySent: false,
      },
      {
        id: 'github:inc1:resolved:u3',
        threadRoot: 'root-of-github:inc1:started:u1',
        possiblySent: false,
      },
    ]);
    expect(await t.store.pendingDeliveries()).toBe(0);
  });

  it('waits out a rate limit and a transient failure, then delivers once, in order', async () => {
    const platform = new ScriptedPlatform([
      new DeliveryError('rate_limited', 'ratelimited', 2_000),
      'ok',
      new DeliveryError('transient', 'HTTP 500'),
    ]);
    const w = worker(platform);
    await t.store.enqueue([delivery(event('started', 'u1')), delivery(event('updated', 'u2'))]);
    expect(await w.drain()).toBe(0);
    clock = new Date(start.getTime() + 1_999);
    expect(await w.drain()).toBe(0);
    clock = new Date(start.getTime() + 2_000);
    expect(await w.drain()).toBe(1); // started; then updated fails with a 500
    clock = new Date(start.getTime() + 3_000);
    expect(await w.drain()).toBe(1);
    expect(platform.accepted.map((a) => [a.id, a.possiblySent])).toEqual([
      ['github:inc1:started:u1', true],
      ['github:inc1:updated:u2', true],
    ]);
  });

  it('suspends the subscriptions of a channel the platform says is gone, and drops its queue', async () => {
    const platform = new ScriptedPlatform([new DeliveryError('channel_gone', 'not_in_channel')]);
    await t.store.enqueue([delivery(event('started', 'u1')), delivery(event('updated', 'u2'))]);
    expect(await worker(platform).drain()).toBe(0);
    const [after] = await t.store.listSubscriptionsForChannel(channel);
    expect(after?.suspended?.reason).toBe('not_in_channel');
    expect(await t.store.pendingDeliveries()).toBe(0);
    expect(platform.accepted).toEqual([]);
  });

  it('opens no new thread in a channel that unsubscribed, but closes the one it has', async () => {
    const platform = new ScriptedPlatform([]);
    const w = worker(platform);
    await t.store.enqueue([delivery(event('started', 'u1'))]);
    expect(await w.drain()).toBe(1);
    await t.store.removeSubscription('github', channel);
    const other: IncidentEvent = {
      ...event('started', 'v1'),
      id: 'github:inc2:started:v1',
      threadKey: 'github:inc2',
    };
    await t.store.enqueue([delivery(event('resolved', 'u3')), delivery(other)]);
    expect(await w.drain()).toBe(1);
    expect(platform.accepted.map((a) => a.id)).toEqual([
      'github:inc1:started:u1',
      'github:inc1:resolved:u3',
    ]);
    expect(await t.store.pendingDeliveries()).toBe(0);
  });

  it('does not post a second start into a thread that exists (its record survived a crash)', async () => {
    const platform = new ScriptedPlatform([]);
    await t.store.putThread(delivery(event('started', 'u1')).thread, {
      channelId: 'C1',
      rootId: 'r1',
    });
    await t.store.enqueue([delivery(event('started', 'u1')), delivery(event('updated', 'u2'))]);
    expect(await worker(platform).drain()).toBe(1);
    expect(platform.accepted).toEqual([
      { id: 'github:inc1:updated:u2', threadRoot: 'r1', possiblySent: false },
    ]);
  });

  it('keeps other threads moving while one send is slow', async () => {
    const { platform, order, release } = slowThreadPlatform();
    const quick = ['quick1', 'quick2', 'quick3'];
    await t.store.enqueue([delivery(startOf('slow')), ...quick.map((k) => delivery(startOf(k)))]);
    // Two slots: the slow send holds one, the other must keep serving the quick threads.
    const draining = worker(platform, 2).drain();
    // Every quick thread goes out while the slow one still hangs.
    await vi.waitFor(() => expect(order).toHaveLength(4), { timeout: 15_000 });
    expect(order.filter((k) => k !== 'slow started')).toEqual([
      'github:quick1',
      'github:quick2',
      'github:quick3',
    ]);
    release();
    expect(await draining).toBe(4);
    expect(order.at(-1)).toBe('github:slow');
  });

  it('parks a delivery the platform refuses every time, and lets its thread go on', async () => {
    const refusal = () => new DeliveryError('permanent', 'invalid_blocks');
    const platform = new ScriptedPlatform([refusal(), refusal(), refusal(), refusal(), refusal()]);
    const w = worker(platform);
    await t.store.enqueue([delivery(event('started', 'u1')), delivery(event('updated', 'u2'))]);
    for (let hour = 0; hour < 4; hour++) {
      expect(await w.drain()).toBe(0);
      clock = new Date(clock.getTime() + 60 * 60_000);
    }
    // The fifth refusal of the start parks it; the update then opens the thread.
    expect(await w.drain()).toBe(1);
    expect(platform.accepted.map((a) => a.id)).toEqual(['github:inc1:updated:u2']);
    const parked = await t.store.getDoc<{ reason: string; delivery: Delivery }>(
      `dead-letter:${delivery(event('started', 'u1')).id}`,
    );
    expect(parked?.reason).toBe('invalid_blocks');
    expect(parked?.delivery.event.id).toBe('github:inc1:started:u1');
    expect(await t.store.pendingDeliveries()).toBe(0);
  });

  it('starts a delivery enqueued during a slow send without waiting for it', async () => {
    const { platform, order, release } = slowThreadPlatform();
    await t.store.enqueue([delivery(startOf('slow'))]);
    const w = worker(platform);
    w.start();
    try {
      await vi.waitFor(() => expect(order).toEqual(['slow started']), { timeout: 15_000 });
      await t.store.enqueue([delivery(startOf('quick'))]);
      w.kick();
      await vi.waitFor(() => expect(order).toEqual(['slow started', 'github:quick']), {
        timeout: 15_000,
      });
      release();
      await vi.waitFor(() => expect(order).toHaveLength(3), { timeout: 15_000 });
    } finally {
      release();
      await w.stop();
    }
  });

  it('keeps deliveries for a platform that is not configured instead of dropping them', async () => {
    const discordOnly = new ScriptedPlatform([]);
    Object.assign(discordOnly, { platform: 'discord' });
    await t.store.enqueue([delivery(event('started', 'u1'))]);
    expect(await worker(discordOnly).drain()).toBe(0);
    expect(await t.store.pendingDeliveries()).toBe(1);
  });

  it('parks deliveries for an unconfigured platform as dead letters after seven days', async () => {
    const discordOnly = new ScriptedPlatform([]);
    Object.assign(discordOnly, { platform: 'discord' });
    const waiting = delivery(event('started', 'u1'));
    await t.store.enqueue([waiting]);
    const w = worker(discordOnly);
    clock = new Date(start.getTime() + 7 * 24 * 60 * 60_000 - 60_000);
    expect(await w.drain()).toBe(0);
    expect(await t.store.pendingDeliveries()).toBe(1);
    // Its next try, ten minutes on, is past the bound.
    clock = new Date(start.getTime() + 7 * 24 * 60 * 60_000 + 9 * 60_000);
    expect(await w.drain()).toBe(0);
    expect(await t.store.pendingDeliveries()).toBe(0);
    const parked = await t.store.getDoc<{ reason: string; delivery: Delivery }>(
      `dead-letter:${waiting.id}`,
    );
    expect(parked?.reason).toBe('platform slack not configured for 7 days');
    expect(parked?.delivery.id).toBe(waiting.id);
  });
});
