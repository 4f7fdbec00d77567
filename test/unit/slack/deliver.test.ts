import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/delivery/chat-adapter.js';
import type { FakeMessage } from '../../fakes/slack/workspace.js';
import { reopenedEvent } from '../../helpers/events.js';
import { deliveryOf, incidentEvent, threadDeliveries } from './events.js';
import { deliverLikeTheWorker, type Harness, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const payload = (m: FakeMessage) => m.metadata?.event_payload as Record<string, string> | undefined;

function threadOf(h: Harness, rootTs: string): FakeMessage[] {
  const channel = h.slack.workspace.channels.get('C0GENERAL');
  return channel?.messages.filter((m) => m.ts === rootTs || m.thread_ts === rootTs) ?? [];
}

/**
 * A request timeout that a loaded machine's ordinary answers stay well inside, and an answer that
 * comes after it: a 300 ms timeout failed the first, unfaulted post under stress-ng.
 */
const SLOW = { timeoutMs: 2_000, answerMs: 4_000 };

describe('Slack deliver() against the fake Slack', () => {
  it('posts a root, replies with its thread_ts, and edits the root on resolution', async () => {
    h = await startHarness();
    const [ref] = await deliverLikeTheWorker(h.adapter, [threadDeliveries('inc1', 'Actions down')]);
    expect(ref?.channelId).toBe('C0GENERAL');
    const messages = threadOf(h, ref?.rootId ?? '');
    expect(messages.map((m) => payload(m)?.event_id)).toEqual([
      'github:inc1:started',
      'github:inc1:u2',
      'github:inc1:resolved',
    ]);
    expect(messages.slice(1).every((m) => m.thread_ts === ref?.rootId)).toBe(true);
    const root = messages[0];
    expect(root?.edited).toBeDefined();
    expect(JSON.stringify(root?.blocks)).toContain('Resolved · GitHub: Actions down');
    expect(h.slack.accepted('chat.update')).toHaveLength(1);
  });

  it('a reopen edits the root back to open and replies once in the old thread', async () => {
    h = await startHarness();
    const thread = threadDeliveries('inc1', 'Actions down');
    const resolved = thread.at(-1);
    if (!resolved) throw new Error('no resolution');
    const step = { id: 'u4', body: 'The errors are back.', at: '2024-06-10T17:00:00.000Z' };
    const reopen = deliveryOf(reopenedEvent(resolved.event, step));
    const [ref] = await deliverLikeTheWorker(h.adapter, [[...thread, reopen]]);
    const messages = threadOf(h, ref?.rootId ?? '');
    expect(messages.map((m) => payload(m)?.event_id)).toEqual([
      'github:inc1:started',
      'github:inc1:u2',
      'github:inc1:resolved',
      'github:inc1:reopened:u4',
    ]);
    const replies = messages.filter((m) => m.text.includes('The errors are back.'));
    expect(replies).toHaveLength(1);
    expect(replies[0]?.thread_ts).toBe(ref?.rootId);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('*Reopened* (Investigating)');
    // Closed on the resolution, open again on the reopen: the root's last edit is the open form.
    expect(h.slack.accepted('chat.update')).toHaveLength(2);
    const root = messages[0];
    expect(root?.text).toBe('GitHub: Actions down (major impact, investigating)');
    expect(JSON.stringify(root?.blocks)).not.toContain('Resolved');
    expect(JSON.stringify(root?.blocks)).toContain(':large_orange_circle: GitHub: Actions down');
  });

  it('reuses a root that reached Slack although the answer was lost (possiblySent)', async () => {
    h = await startHarness();
    h.slack.fail({ method: 'chat.postMessage', status: 500, afterCommit: true, times: 1 });
    const [start] = threadDeliveries('inc1', 'Lost answer');
    if (!start) throw new Error('no delivery');
    const first = await h.adapter.deliver({ delivery: start, possiblySent: false }).catch((e) => e);
    expect(first).toBeInstanceOf(DeliveryError);
    expect((first as DeliveryError).kind).toBe('transient');
    const ref = await h.adapter.deliver({ delivery: start, possiblySent: true });
    expect(h.slack.accepted('chat.postMessage')).toHaveLength(0);
    expect(h.slack.workspace.channels.get('C0GENERAL')?.messages).toHaveLength(1);
    expect(ref?.rootId).toBe(h.slack.workspace.channels.get('C0GENERAL')?.messages[0]?.ts);
    const history = h.slack.callsTo('conversations.history')[0];
    expect(history?.args.include_all_metadata).toBe('true');
  });

  it('reuses a reply that reached Slack after a timeout', async () => {
    h = await startHarness({ tuning: { requestTimeoutMs: SLOW.timeoutMs } });
    const [start, update] = threadDeliveries('inc1', 'Slow');
    if (!start || !update) throw new Error('no delivery');
    const ref = await h.adapter.deliver({ delivery: start, possiblySent: false });
    h.slack.fail({
      method: 'chat.postMessage',
      delayMs: SLOW.answerMs,
      afterCommit: true,
      times: 1,
    });
    const timedOut = await h.adapter
      .deliver({ delivery: update, thread: ref, possiblySent: false })
      .catch((e) => e);
    expect((timedOut as DeliveryError).kind).toBe('transient');
    await h.slack.waitFor(
      () => threadOf(h as Harness, ref?.rootId ?? '').length === 2,
      'the slow reply',
    );
    await h.adapter.deliver({ delivery: update, thread: ref, possiblySent: true });
    expect(threadOf(h, ref?.rootId ?? '')).toHaveLength(2);
    expect(h.slack.callsTo('conversations.replies')).toHaveLength(1);
  });

  it('a resolution retried after its edit went through edits the root once', async () => {
    // No retry inside web-api: the lost answer goes back to the worker, as when the bot dies.
    h = await startHarness({ tuning: { apiRetry: { retries: 0 } } });
    const thread = threadDeliveries('inc1', 'Edit lost');
    const resolution = thread.at(-1);
    if (!resolution) throw new Error('no resolution');
    const [ref] = await deliverLikeTheWorker(h.adapter, [thread.slice(0, -1)]);
    // The edit takes effect but its answer is lost with the process that sent it.
    h.slack.fail({ method: 'chat.update', status: 500, afterCommit: true, times: 1 });
    const lost = await h.adapter
      .deliver({ delivery: resolution, thread: ref, possiblySent: false })
      .catch((e) => e);
    expect((lost as DeliveryError).kind).toBe('transient');
    await h.adapter.deliver({ delivery: resolution, thread: ref, possiblySent: true });
    const messages = threadOf(h, ref?.rootId ?? '');
    expect(messages.filter((m) => m.text.includes('resolved'))).toHaveLength(1);
    expect(messages.filter((m) => m.ts !== ref?.rootId)).toHaveLength(2);
    // One update took effect (the one whose answer was lost); the retry read the root instead.
    expect(h.slack.callsTo('chat.update')).toHaveLength(1);
    expect(JSON.stringify(messages[0]?.blocks)).toContain('Resolved · GitHub: Edit lost');
  });

  it('an edit whose answer times out is not sent again blindly: the retry reads the root', async () => {
    // The default retries: only the reads may repeat themselves inside web-api.
    h = await startHarness({ tuning: { requestTimeoutMs: SLOW.timeoutMs } });
    const thread = threadDeliveries('inc1', 'Edit slow');
    const resolution = thread.at(-1);
    if (!resolution) throw new Error('no resolution');
    const [ref] = await deliverLikeTheWorker(h.adapter, [thread.slice(0, -1)]);
    h.slack.fail({ method: 'chat.update', delayMs: SLOW.answerMs, afterCommit: true, times: 1 });
    // Counted as Slack carries them out: the slow answer is recorded only when it is sent.
    let edits = 0;
    h.slack.onEffect((method) => {
      if (method === 'chat.update') edits++;
    });
    const timedOut = await h.adapter
      .deliver({ delivery: resolution, thread: ref, possiblySent: false })
      .catch((e) => e);
    expect((timedOut as DeliveryError).kind).toBe('transient');
    await h.adapter.deliver({ delivery: resolution, thread: ref, possiblySent: true });
    expect(edits).toBe(1);
    const root = threadOf(h, ref?.rootId ?? '')[0];
    expect(JSON.stringify(root?.blocks)).toContain('Resolved · GitHub: Edit slow');
  });

  it('a resolution retried before its edit went through still edits the root', async () => {
    h = await startHarness({ tuning: { apiRetry: { retries: 0 } } });
    const thread = threadDeliveries('inc1', 'Edit refused');
    const resolution = thread.at(-1);
    if (!resolution) throw new Error('no resolution');
    const [ref] = await deliverLikeTheWorker(h.adapter, [thread.slice(0, -1)]);
    h.slack.fail({ method: 'chat.update', status: 500, times: 1 });
    await h.adapter
      .deliver({ delivery: resolution, thread: ref, possiblySent: false })
      .catch((e) => e);
    await h.adapter.deliver({ delivery: resolution, thread: ref, possiblySent: true });
    expect(h.slack.accepted('chat.update')).toHaveLength(1);
    const root = threadOf(h, ref?.rootId ?? '')[0];
    expect(JSON.stringify(root?.blocks)).toContain('Resolved · GitHub: Edit refused');
  });

  it.each([
    ['not_in_channel', { member: false }],
    ['is_archived', { archived: true }],
  ])('reports %s as channel_gone', async (error, state) => {
    h = await startHarness();
    h.slack.workspace.addChannel('C0GONE', state);
    const delivery = deliveryOf(incidentEvent(), {
      channel: { platform: 'slack', workspaceId: 'T0FAKE', channelId: 'C0GONE' },
    });
    const err = await h.adapter.deliver({ delivery, possiblySent: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).kind).toBe('channel_gone');
    expect(h.slack.callsTo('chat.postMessage').at(-1)?.error).toBe(error);
  });

  it('reports channel_not_found as channel_gone, also when only the lookup could tell', async () => {
    h = await startHarness();
    const delivery = deliveryOf(incidentEvent(), {
      channel: { platform: 'slack', workspaceId: 'T0FAKE', channelId: 'C0NOWHERE' },
    });
    const err = await h.adapter.deliver({ delivery, possiblySent: true }).catch((e) => e);
    expect((err as DeliveryError).kind).toBe('channel_gone');
  });

  it('hands a 429 that outlasts its retries back as rate_limited with Retry-After', async () => {
    h = await startHarness({ tuning: { postRateLimitRetries: 1 } });
    h.slack.fail({ method: 'chat.postMessage', status: 429, retryAfter: 1 });
    const delivery = deliveryOf(incidentEvent());
    const err = await h.adapter.deliver({ delivery, possiblySent: false }).catch((e) => e);
    expect((err as DeliveryError).kind).toBe('rate_limited');
    expect((err as DeliveryError).retryAfterMs).toBe(1_000);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('paces one channel to about one message per second', async () => {
    h = await startHarness({
      tuning: { postIntervalMs: 1_000 },
      fake: { channelLimit: { perSecond: 1, burst: 2 } },
    });
    const threads = ['a', 'b', 'c'].map((id) => [threadDeliveries(id, id)[0] as never]);
    await deliverLikeTheWorker(h.adapter, threads);
    expect(h.slack.accepted('chat.postMessage')).toHaveLength(3);
    // The fake enforces Slack's limit (a burst of 2, then 1/s): unpaced, the third post would
    // be refused with a 429. Arrival gaps are not compared: under load they jitter either way.
    expect(h.slack.limiter.hits).toBe(0);
  });
});
