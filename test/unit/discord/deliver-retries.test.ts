import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/delivery/chat-adapter.js';
import type { ThreadRef } from '../../../src/incidents/subscription.js';
import { FAULTS } from '../../fakes/discord/index.js';
import { startIncident } from './deliver-fixture.js';
import { discordDelivery, incidentEvent, laterEvent } from './events.js';
import { type Harness, startHarness } from './harness.js';

describe('discord adapter: deliver() retries and failures', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('a retried start and a retried first reply whose answers were lost post once and open one thread', async () => {
    h = await startHarness({ adapter: { rest: { offset: 0, retries: 0 } } });
    const channel = h.fake.channels.incidents.id;
    h.fake.addFault({
      route: 'POST /channels/:id/messages',
      fault: FAULTS.serverError(502),
      afterEffect: true,
      times: 1,
    });
    const delivery = discordDelivery(incidentEvent(), channel);
    await expect(h.adapter.deliver({ delivery, possiblySent: false })).rejects.toMatchObject({
      kind: 'transient',
    });
    expect(h.fake.messagesIn(channel)).toHaveLength(1);
    const started = (await h.adapter.deliver({ delivery, possiblySent: true })) as ThreadRef;
    const [root] = h.fake.messagesIn(channel);
    expect(h.fake.messagesIn(channel)).toHaveLength(1);
    expect(started).toMatchObject({ rootId: root?.id, threadId: root?.id });

    // The first reply opens the thread, and that answer is lost with the process that sent it.
    h.fake.addFault({
      route: 'POST /channels/:id/messages/:id/threads',
      fault: FAULTS.serverError(500),
      afterEffect: true,
      times: 1,
    });
    const update = discordDelivery(laterEvent('updated'), channel);
    await expect(
      h.adapter.deliver({ delivery: update, thread: started, possiblySent: false }),
    ).rejects.toMatchObject({ kind: 'transient' });
    const opened = await h.adapter.deliver({
      delivery: update,
      thread: started,
      possiblySent: true,
    });
    expect(opened).toEqual({ channelId: channel, rootId: root?.id, threadId: root?.id });
    // The message already had its thread, so no second thread creation was attempted.
    expect(h.fake.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(1);

    // The opened ref was never recorded: the next reply, given the old ref, finds the same thread.
    await h.adapter.deliver({
      delivery: discordDelivery(laterEvent('resolved'), channel),
      thread: started,
      possiblySent: false,
    });
    expect(h.fake.threadsOf(channel)).toHaveLength(1);
    const inThread = h.fake.messagesIn(root?.id as string);
    expect(inThread.map((m) => m.embeds[0]?.title)).toEqual(['Identified', 'Resolved']);
    expect(h.fake.messagesIn(channel)).toHaveLength(1);
  });

  it('a resolution retried after its edit went through edits the start message once', async () => {
    h = await startHarness({ adapter: { rest: { offset: 0, retries: 0 } } });
    const channel = h.fake.channels.incidents.id;
    const thread = await startIncident(h, channel);
    const resolution = discordDelivery(laterEvent('resolved'), channel);
    // The edit takes effect but its answer is lost with the process that sent it.
    h.fake.addFault({
      route: 'PATCH /channels/:id/messages/:id',
      fault: FAULTS.serverError(502),
      afterEffect: true,
      times: 1,
    });
    await expect(
      h.adapter.deliver({ delivery: resolution, thread, possiblySent: false }),
    ).rejects.toMatchObject({ kind: 'transient' });
    await h.adapter.deliver({ delivery: resolution, thread, possiblySent: true });
    const inThread = h.fake.messagesIn(thread.threadId as string);
    expect(inThread.map((m) => m.embeds[0]?.title)).toEqual(['Resolved']);
    expect(h.fake.callsTo('PATCH /channels/:id/messages/:id')).toHaveLength(1);
    expect(h.fake.messagesIn(channel)[0]?.embeds[0]).toMatchObject({ color: 0x57f287 });
  });

  it('a resolution retried before its edit went through still edits the start message', async () => {
    h = await startHarness({ adapter: { rest: { offset: 0, retries: 0 } } });
    const channel = h.fake.channels.incidents.id;
    const thread = await startIncident(h, channel);
    const resolution = discordDelivery(laterEvent('resolved'), channel);
    h.fake.addFault({
      route: 'PATCH /channels/:id/messages/:id',
      fault: FAULTS.serverError(502),
      times: 1,
    });
    await expect(
      h.adapter.deliver({ delivery: resolution, thread, possiblySent: false }),
    ).rejects.toMatchObject({ kind: 'transient' });
    await h.adapter.deliver({ delivery: resolution, thread, possiblySent: true });
    const edits = h.fake.callsTo('PATCH /channels/:id/messages/:id');
    expect(edits.map((c) => c.status)).toEqual([502, 200]);
    expect(h.fake.messagesIn(thread.threadId as string)).toHaveLength(1);
    expect(h.fake.messagesIn(channel)[0]?.embeds[0]).toMatchObject({ color: 0x57f287 });
  });

  it('maps a lost channel to channel_gone, a refusal to missing_permission, exhaustion to rate_limited', async () => {
    h = await startHarness({
      fake: { buckets: { 'POST /channels/:id/messages': { limit: 50, windowMs: 5_000 } } },
      adapter: { rest: { offset: 0, retries: 1 }, maxRateLimitWaitMs: 2_000 },
    });
    const channel = h.fake.channels.incidents.id;
    const attempt = () =>
      h.adapter.deliver({
        delivery: discordDelivery(incidentEvent(), channel),
        possiblySent: false,
      });
    const kindOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: DeliveryError) => [e.kind, e.retryAfterMs],
      );

    const refusals = [
      [FAULTS.missingAccess(), 'View Channel'],
      [FAULTS.missingPermissions(), 'Send Messages'],
    ] as const;
    for (const [fault, permission] of refusals) {
      h.fake.addFault({ route: 'POST /channels/:id/messages', fault, times: 1 });
      await expect(attempt()).rejects.toMatchObject({ kind: 'missing_permission', permission });
    }
    h.fake.addFault({
      route: 'POST /channels/:id/messages',
      fault: FAULTS.unknownChannel(),
      times: 1,
    });
    expect(await kindOf(attempt())).toEqual(['channel_gone', undefined]);
    h.fake.addFault({
      route: 'POST /channels/:id/messages',
      fault: FAULTS.serverError(503),
      times: 2,
    });
    expect(await kindOf(attempt())).toEqual(['transient', undefined]);
    h.fake.addFault({
      route: 'POST /channels/:id/messages',
      fault: FAULTS.rateLimit(60),
      times: 1,
    });
    expect(await kindOf(attempt())).toEqual(['rate_limited', 60_000]);

    // An exhausted bucket whose reset is further away than the allowed wait fails the same way.
    h.fake.setBuckets({ 'POST /channels/:id/messages': { limit: 1, windowMs: 30_000 } });
    expect(await kindOf(attempt())).toEqual('ok');
    const [kind, waitMs] = (await kindOf(attempt())) as [string, number];
    expect(kind).toBe('rate_limited');
    expect(waitMs).toBeGreaterThan(25_000);

    h.fake.state.removeChannel(h.fake.channels.general.id);
    const gone = h.adapter.deliver({
      delivery: discordDelivery(incidentEvent(), h.fake.channels.general.id),
      possiblySent: false,
    });
    await expect(gone).rejects.toBeInstanceOf(DeliveryError);
    await expect(gone).rejects.toMatchObject({ kind: 'channel_gone' });
  });
});
