import { pino } from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatAdapter } from '../../../src/delivery/chat-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { deliveryFor, incidentEvent } from '../../helpers/events.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';

/**
 * DeliveryWorker.stop() at shutdown: a delivery whose send has not begun goes back to the outbox
 * at once (another replica claims it right away, and it never posts from here); one on the wire
 * is waited for at most the grace and then stays leased, so nobody sends it a second time while
 * the platform may still be taking the first in.
 */

const channel: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const LEASE_MS = 600;

const startOf = (key: string): IncidentEvent => ({
  ...incidentEvent(),
  id: `github:${key}:started`,
  type: 'started',
  threadKey: `github:${key}`,
});

/** `github:wire` posts and never hears back; `github:paced` waits for its slot before posting. */
function shutdownPlatform() {
  const posted: string[] = [];
  const begun = new Set<string>();
  /** Sends whose beforeSend refused to let them post. */
  const refused: string[] = [];
  let openSlot: () => void = () => {};
  const slot = new Promise<void>((resolve) => {
    openSlot = resolve;
  });
  const platform: ChatAdapter = {
    platform: 'slack',
    async start() {},
    async stop() {},
    async deliver(req) {
      const key = req.delivery.event.threadKey;
      begun.add(key);
      if (key === 'github:paced') await slot;
      try {
        await req.beforeSend?.();
      } catch (err) {
        refused.push(key);
        throw err;
      }
      posted.push(key);
      if (key === 'github:wire') await new Promise(() => {});
      return { channelId: 'C1', rootId: key };
    },
  };
  return { platform, posted, begun, refused, openSlot: () => openSlot() };
}

describe.each(['embedded', 'redis'] as const)('DeliveryWorker.stop on the %s store', (kind) => {
  const { t } = storePerTest(kind);
  beforeEach(async () => {
    await t.store.putSubscription(subscription({ channel }));
  });

  it('hands back what has not been sent and keeps leased what is on the wire', async () => {
    const { platform, posted, begun, refused, openSlot } = shutdownPlatform();
    await t.store.enqueue([startOf('wire'), startOf('paced')].map((e) => deliveryFor(e, channel)));
    const worker = new DeliveryWorker({
      store: t.store,
      adapters: new Map([['slack', platform]]),
      logger: pino({ level: 'silent' }),
      now: () => new Date(),
      owner: 'stopping',
      leaseMs: LEASE_MS,
    });
    worker.start();
    await vi.waitFor(() => expect(posted).toEqual(['github:wire']), { timeout: 15_000 });
    await vi.waitFor(() => expect(begun.has('github:paced')).toBe(true), { timeout: 15_000 });

    const report = await worker.stop(200);
    expect(report).toEqual({ handedBack: 1, finished: 0, leftToLease: 1 });
    const claim = () =>
      t.store.claimDeliveries({ owner: 'next', now: new Date(), limit: 10, leaseMs: 60_000 });
    // Claimable at once, as it was: not counted as an attempt, not marked as possibly sent.
    const first = await claim();
    expect(first.map((d) => [d.event.threadKey, d.attempts, d.possiblySent === true])).toEqual([
      ['github:paced', 0, false],
    ]);
    // Its slot comes after the hand-back: it must not post from the stopped worker.
    openSlot();
    await vi.waitFor(() => expect(refused).toEqual(['github:paced']), { timeout: 15_000 });
    expect(posted).toEqual(['github:wire']);
    // The one on the wire comes back only when its lease runs out, marked as possibly sent.
    await vi.waitFor(
      async () => {
        const later = await claim();
        expect(later.map((d) => [d.event.threadKey, d.possiblySent === true])).toEqual([
          ['github:wire', true],
        ]);
      },
      { timeout: 15_000, interval: 100 },
    );
  });
});
