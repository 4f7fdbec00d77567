import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { deliveryFor, numberedThreadEvents } from '../../helpers/events.js';
import type { StoreKind } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';
import { type Harness, startHarness } from './harness.js';

const channel: ChannelRef = { platform: 'slack', workspaceId: 'T0FAKE', channelId: 'C0ALPHA' };

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.concurrent.each<StoreKind>(['embedded', 'redis'])(
  'a Slack 429 on a post (%s store)',
  (kind) => {
    let h: Harness | undefined;
    let worker: DeliveryWorker | undefined;
    afterEach(async () => {
      await worker?.stop();
      await h?.close();
    });

    it('is retried and posted once, with no history or replies read to look for a copy', async () => {
      // web-api rides out no 429 itself here, so each one reaches the worker.
      h = await startHarness({
        store: kind,
        fake: { channels: [channel.channelId] },
        tuning: { postRateLimitRetries: 0 },
      });
      const { slack } = h;
      const store = h.store.store;
      await store.putSubscription(subscription({ channel, createdBy: 'U0ADMIN' }));
      // The root and then the reply each get one 429 before going through.
      slack.fail({ method: 'chat.postMessage', status: 429, retryAfter: 1, times: 1 });
      slack.fail({ method: 'chat.postMessage', every: 3, status: 429, retryAfter: 1, times: 1 });
      const [start, update] = numberedThreadEvents(1, 1).map((e) => deliveryFor(e, channel));
      if (!start || !update) throw new Error('expected a start and an update');
      await store.enqueue([start, update]);
      worker = new DeliveryWorker({
        store,
        adapters: new Map([['slack', h.adapter]]),
        logger: pino({ level: 'silent' }),
        now: () => new Date(),
        owner: 'test-worker',
        idleMs: 50,
        random: () => 0,
      });
      worker.start();
      await until(async () => (await store.pendingDeliveries()) === 0, 'the outbox to drain');

      const messages = slack.workspace.channels.get(channel.channelId)?.messages ?? [];
      const posted = messages.map((m) => m.metadata?.event_payload.delivery_id);
      expect(posted).toEqual([start.id, update.id]);
      const root = messages[0];
      expect(messages[1]?.thread_ts).toBe(root?.ts);
      expect(slack.calls.filter((c) => c.status === 429)).toHaveLength(2);
      expect(slack.callsTo('conversations.history')).toEqual([]);
      expect(slack.callsTo('conversations.replies')).toEqual([]);
    }, 30_000);
  },
);
