import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { deliveryFor, numberedThreadEvents } from '../../helpers/events.js';
import { subscription } from '../../helpers/subscriptions.js';
import { type Harness, startHarness } from './harness.js';

const channel: ChannelRef = { platform: 'slack', workspaceId: 'T0FAKE', channelId: 'C0ALPHA' };
const HOURS_6 = 6 * 60 * 60_000;

describe('Slack refusals: a gone channel suspends, a missing permission waits and tells', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  async function setUp() {
    h = await startHarness({ fake: { channels: [channel.channelId] } });
    const store = h.store.store;
    await store.putSubscription(subscription({ channel, createdBy: 'U0ADMIN' }));
    const thread = numberedThreadEvents(1, 1).map((e) => deliveryFor(e, channel));
    await store.enqueue(thread);
    let clock = new Date();
    const worker = new DeliveryWorker({
      store,
      adapters: new Map([['slack', h.adapter]]),
      logger: pino({ level: 'silent' }),
      now: () => clock,
      owner: 'test-worker',
      random: () => 1,
    });
    const later = (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    };
    const slackChannel = () => h?.slack.workspace.channels.get(channel.channelId);
    return { h, store, thread, worker, later, slackChannel };
  }

  it('keeps the queue of a channel where posting is restricted, and DMs the subscriber once', async () => {
    const { h, store, thread, worker, later, slackChannel } = await setUp();
    const alpha = slackChannel();
    if (!alpha) throw new Error('no channel');
    alpha.restricted = true;
    const dm = () => h.slack.workspace.channels.get('DU0ADMIN')?.messages.map((m) => m.text);
    const told =
      'outage-bot cannot post incident updates in <#C0ALPHA>, which you subscribed: it lacks ' +
      'permission to post here (a workspace or channel setting restricts posting). ' +
      'The updates are kept and go out once that is fixed.';

    expect(await worker.drain()).toBe(0);
    expect(dm()).toEqual([told]);
    expect(await store.pendingDeliveries()).toBe(thread.length);
    const [sub] = await store.listSubscriptionsForChannel(channel);
    expect(sub?.suspended).toBeUndefined();
    later(HOURS_6);
    expect(await worker.drain()).toBe(0);
    expect(dm()).toEqual([told]);
    expect(
      h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0ALPHA'),
    ).toHaveLength(3);

    alpha.restricted = false;
    later(HOURS_6);
    expect(await worker.drain()).toBe(thread.length);
    expect(alpha.messages.map((m) => m.metadata?.event_payload.delivery_id)).toEqual(
      thread.map((d) => d.id),
    );
    expect(await store.pendingDeliveries()).toBe(0);
  });

  it('tells the channel itself when it can still be written (a missing scope)', async () => {
    const { h, store, thread, worker, slackChannel } = await setUp();
    h.slack.fail({ method: 'chat.postMessage', okFalse: 'missing_scope', times: 1 });
    expect(await worker.drain()).toBe(0);
    expect(slackChannel()?.messages.map((m) => m.text)).toEqual([
      'outage-bot cannot post incident updates in this channel: it lacks an OAuth scope ' +
        '(missing_scope). The updates are kept and go out once that is fixed.',
    ]);
    expect(h.slack.workspace.channels.get('DU0ADMIN')).toBeUndefined();
    expect(await store.pendingDeliveries()).toBe(thread.length);
  });

  it('does not suspend a channel for a deactivated bot token, but does for an archived channel', async () => {
    const { h, store, thread, worker, later, slackChannel } = await setUp();
    h.slack.fail({ method: 'chat.postMessage', okFalse: 'account_inactive', times: 1 });
    expect(await worker.drain()).toBe(0);
    const [kept] = await store.listSubscriptionsForChannel(channel);
    expect(kept?.suspended).toBeUndefined();
    expect(await store.pendingDeliveries()).toBe(thread.length);

    const alpha = slackChannel();
    if (!alpha) throw new Error('no channel');
    alpha.archived = true;
    later(HOURS_6);
    expect(await worker.drain()).toBe(0);
    const [gone] = await store.listSubscriptionsForChannel(channel);
    expect(gone?.suspended?.reason).toMatch(/is_archived/);
    expect(await store.pendingDeliveries()).toBe(0);
  });
});
