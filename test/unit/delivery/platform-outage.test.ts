import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatAdapter,
  DeliveryError,
  type DeliveryRequest,
} from '../../../src/delivery/chat-adapter.js';
import { PLATFORM_BACKOFF } from '../../../src/delivery/platform-gate.js';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { ChannelRef, Platform } from '../../../src/incidents/subscription.js';
import { deliveryFor, incidentEvent } from '../../helpers/events.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';

const start = new Date('2026-01-01T00:00:00Z');
const CHANNELS = 6;

/** A platform that answers like a chat API in an outage while `down`, and records every request. */
class SwitchablePlatform implements ChatAdapter {
  down = false;
  readonly requests: string[] = [];
  readonly accepted: string[] = [];
  constructor(readonly platform: Platform) {}
  async start() {}
  async stop() {}
  async deliver(req: DeliveryRequest) {
    this.requests.push(req.delivery.id);
    await req.beforeSend?.();
    if (this.down) throw new DeliveryError('transient', `${this.platform} answered 500`);
    this.accepted.push(req.delivery.id);
    return req.thread ? undefined : { channelId: req.delivery.channel.channelId, rootId: 'r' };
  }
}

const channelOf = (platform: Platform, n: number): ChannelRef => ({
  platform,
  workspaceId: 'W1',
  channelId: `${platform}-${n}`,
});

describe.each(['embedded', 'redis'] as const)('a chat platform outage on the %s store', (kind) => {
  const { t } = storePerTest(kind);
  let clock: Date;
  const slack = new SwitchablePlatform('slack');
  const discord = new SwitchablePlatform('discord');
  const event = incidentEvent({
    subject: { ...incidentEvent().subject, startedAt: start.toISOString() },
  });

  beforeEach(async () => {
    clock = start;
    for (const p of [slack, discord]) {
      p.down = false;
      p.requests.length = 0;
      p.accepted.length = 0;
    }
    const deliveries = [];
    for (let n = 0; n < CHANNELS; n++) {
      for (const platform of ['slack', 'discord'] as const) {
        const channel = channelOf(platform, n);
        await t.store.putSubscription(subscription({ channel }));
        deliveries.push(
          deliveryFor(event, channel, {
            enqueuedAt: start.toISOString(),
            nextAttemptAt: start.toISOString(),
          }),
        );
      }
    }
    await t.store.enqueue(deliveries);
  });

  const idsOf = (platform: Platform) =>
    Array.from(
      { length: CHANNELS },
      (_, n) => `${event.id}|${platform}:W1:${platform}-${n}`,
    ).sort();

  const worker = () =>
    new DeliveryWorker({
      store: t.store,
      adapters: new Map<Platform, ChatAdapter>([
        ['slack', slack],
        ['discord', discord],
      ]),
      logger: pino({ level: 'silent' }),
      now: () => clock,
      owner: 'test',
      batchSize: 4,
      random: () => 1,
    });

  it('tries a failing platform one message at a time, with capped backoff, and sends each once after', async () => {
    discord.down = true;
    const w = worker();
    await w.drain();
    // Discord: the sends admitted before its first failure (at most its loop's 4 slots).
    const firstPass = discord.requests.length;
    expect(firstPass).toBeGreaterThan(0);
    expect(firstPass).toBeLessThanOrEqual(4);
    // The healthy platform is not held up, while the failing one gets at most its one probe.
    for (let pass = 0; pass < 5 && slack.accepted.length < CHANNELS; pass++) {
      const before = discord.requests.length;
      clock = new Date(clock.getTime() + PLATFORM_BACKOFF.baseMs);
      await w.drain();
      expect(discord.requests.length - before).toBeLessThanOrEqual(1);
    }
    expect([...slack.accepted].sort()).toEqual(idsOf('slack'));

    // Far past any backoff: one probe per pass while it stays down, never a burst.
    for (let probe = 1; probe <= 3; probe++) {
      const before = discord.requests.length;
      clock = new Date(clock.getTime() + PLATFORM_BACKOFF.maxMs + 1_000);
      await w.drain();
      expect(discord.requests).toHaveLength(before + 1);
    }
    expect(discord.accepted).toEqual([]);
    expect(await t.store.pendingDeliveries()).toBe(CHANNELS);

    discord.down = false;
    // Every held-back or failed delivery is due again within the cap of both backoffs.
    for (let pass = 0; pass < 10 && discord.accepted.length < CHANNELS; pass++) {
      clock = new Date(clock.getTime() + PLATFORM_BACKOFF.maxMs + 1_000);
      await w.drain();
    }
    expect([...discord.accepted].sort()).toEqual(idsOf('discord'));
    expect(slack.accepted).toHaveLength(CHANNELS);
    expect(await t.store.pendingDeliveries()).toBe(0);
  });

  it('counts no attempt against a delivery that was only held back', async () => {
    discord.down = true;
    const w = worker();
    await w.drain();
    const tried = new Set(discord.requests);
    const claimed = await t.store.claimDeliveries({
      owner: 'inspector',
      now: new Date(start.getTime() + 24 * 60 * 60_000),
      limit: 100,
      leaseMs: 60_000,
    });
    const onDiscord = claimed.filter((d) => d.channel.platform === 'discord');
    expect(onDiscord.map((d) => d.id).sort()).toEqual(idsOf('discord'));
    for (const d of onDiscord) expect(d.attempts).toBe(tried.has(d.id) ? 1 : 0);
  });
});
