import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { ChannelRef, Delivery } from '../../../src/incidents/subscription.js';
import type { FakeMessage } from '../../fakes/slack/workspace.js';
import { deliveryFor, numberedThreadEvents } from '../../helpers/events.js';
import type { StoreKind } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';
import { type Harness, startHarness } from './harness.js';

const CHANNELS = ['C0ALPHA', 'C0BRAVO'];
const slackChannel = (channelId: string): ChannelRef => ({
  platform: 'slack',
  workspaceId: 'T0FAKE',
  channelId,
});

/** One incident's thread: start, `updates` updates, resolution, all for one channel. */
function incidentThread(n: number, updates: number, channelId: string): Delivery[] {
  // enqueuedAt stays "now": the adapter looks for a lost root from shortly before it.
  return numberedThreadEvents(n, updates).map((e) => deliveryFor(e, slackChannel(channelId)));
}

async function startWorker(h: Harness): Promise<DeliveryWorker> {
  for (const channelId of CHANNELS) {
    await h.store.store.putSubscription(
      subscription({ channel: slackChannel(channelId), createdBy: 'test' }),
    );
  }
  const worker = new DeliveryWorker({
    store: h.store.store,
    adapters: new Map([['slack', h.adapter]]),
    logger: pino({ level: 'silent' }),
    now: () => new Date(),
    owner: 'test-worker',
    idleMs: 50,
    random: () => 0,
  });
  worker.start();
  return worker;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const deliveryId = (m: FakeMessage) => m.metadata?.event_payload.delivery_id;

// Each 429 costs its full Retry-After, so the two stores run side by side to keep the file short.
describe.concurrent.each<StoreKind>(['embedded', 'redis'])(
  'Slack delivery under 429s and 5xx (%s)',
  (kind) => {
    let h: Harness | undefined;
    let worker: DeliveryWorker | undefined;
    afterEach(async () => {
      await worker?.stop();
      await h?.close();
      worker = undefined;
      h = undefined;
    });

    it('the real worker delivers every message once, in order within each thread', async () => {
      h = await startHarness({ store: kind, fake: { channels: CHANNELS } });
      const slack = h.slack;
      // Rules are checked in order and every matching rule counts the call, so the 429 rule still
      // sees every second call. The very first post (a root) and a later one (most likely a reply)
      // take effect but answer 500: only the metadata lookup keeps their retries from doubling them.
      slack.fail({ method: 'chat.postMessage', status: 500, afterCommit: true, times: 1 });
      slack.fail({
        method: 'chat.postMessage',
        every: 8,
        status: 500,
        afterCommit: true,
        times: 1,
      });
      slack.fail({ method: 'chat.postMessage', every: 5, status: 500, times: 2 });
      slack.fail({ method: 'chat.update', status: 500, times: 1 });
      slack.fail({ method: /^chat\.(postMessage|update)$/, every: 2, status: 429, retryAfter: 2 });

      const threads = [
        incidentThread(1, 3, 'C0ALPHA'),
        incidentThread(2, 2, 'C0ALPHA'),
        incidentThread(3, 2, 'C0BRAVO'),
      ];
      await h.store.store.enqueue(threads.flat());
      worker = await startWorker(h);
      const store = h.store.store;
      await until(
        async () => (await store.pendingDeliveries()) === 0,
        'the outbox to drain',
        50_000,
      );

      for (const deliveries of threads) {
        const [start, ...rest] = deliveries;
        const messages =
          slack.workspace.channels.get(start?.channel.channelId ?? '')?.messages ?? [];
        const roots = messages.filter((m) => deliveryId(m) === start?.id);
        expect(roots).toHaveLength(1);
        const root = roots[0] as FakeMessage;
        expect(root.thread_ts ?? root.ts).toBe(root.ts);
        const replies = messages.filter((m) => m.thread_ts === root.ts && m.ts !== root.ts);
        expect(replies.map(deliveryId)).toEqual(rest.map((d) => d.id));
        const edits = slack.accepted('chat.update').filter((c) => c.args.ts === root.ts);
        expect(edits).toHaveLength(1);
        expect(JSON.stringify(root.blocks)).toContain(
          `Resolved · GitHub: ${start?.event.subject.title}`,
        );
      }
      // Nothing else was posted anywhere: no stray duplicate outside the threads either.
      const posted = CHANNELS.flatMap((c) => slack.workspace.channels.get(c)?.messages ?? []);
      expect(posted).toHaveLength(threads.flat().length);

      // The faults really happened (so this test can fail), and the lost answers were looked up.
      const statuses = slack.calls.map((c) => c.status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(8);
      expect(statuses.filter((s) => s === 500).length).toBe(5);
      expect(slack.callsTo('conversations.history').length).toBeGreaterThanOrEqual(1);
      expect(await store.pendingDeliveries()).toBe(0);
    }, 55_000);
  },
);
