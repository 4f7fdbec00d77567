import { afterEach, describe, expect, it } from 'vitest';
import { nonceFor } from '../../../adapters/discord/deliver.js';
import { DeliveryError } from '../../../src/delivery/chat-adapter.js';
import type { ThreadRef } from '../../../src/incidents/subscription.js';
import { toPlainText } from '../../../src/sources/plain-text.js';
import { FAULTS } from '../../fakes/discord/index.js';
import { reopenedEvent } from '../../helpers/events.js';
import { discordDelivery, incidentEvent, laterEvent } from './events.js';
import { type Harness, startHarness } from './harness.js';

const ROLE = '500000000000000001';

describe('discord adapter: deliver()', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('posts the start alone, opens its thread with the first reply, and edits the root on resolution', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents.id;
    const start = discordDelivery(incidentEvent(), channel);
    const ref = await h.adapter.deliver({ delivery: start, possiblySent: false });
    const [root] = h.fake.messagesIn(channel);
    const name = 'GitHub: Degraded performance for Actions';
    // One request per start: the thread opens (with the start's name) when the first reply goes.
    expect(ref).toEqual({
      channelId: channel,
      rootId: root?.id,
      threadId: root?.id,
      threadName: name,
    });
    expect(h.fake.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(0);
    expect(h.fake.threadsOf(channel)).toHaveLength(0);
    const post = h.fake.callsTo('POST /channels/:id/messages')[0];
    expect(post?.body).toMatchObject({
      nonce: nonceFor(start.id),
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'Degraded performance for Actions' }],
    });

    const thread = (await h.adapter.deliver({
      delivery: discordDelivery(laterEvent('updated'), channel),
      thread: ref as ThreadRef,
      possiblySent: false,
    })) as ThreadRef;
    expect(thread).toEqual({ channelId: channel, rootId: root?.id, threadId: root?.id });
    expect(h.fake.callsTo('POST /channels/:id/messages/:id/threads')[0]?.body).toEqual({
      name,
      auto_archive_duration: 10080,
    });
    await h.adapter.deliver({
      delivery: discordDelivery(laterEvent('resolved'), channel),
      thread,
      possiblySent: false,
    });
    expect(h.fake.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(1);
    expect(h.fake.threadsOf(channel)).toHaveLength(1);
    const inThread = h.fake.messagesIn(thread.threadId as string);
    expect(inThread.map((m) => m.embeds[0]?.title)).toEqual(['Identified', 'Resolved']);
    expect(h.fake.messagesIn(channel)).toHaveLength(1);
    const edits = h.fake.callsTo('PATCH /channels/:id/messages/:id');
    expect(edits).toHaveLength(1);
    expect(root?.embeds[0]).toMatchObject({
      description: '**Resolved** after 1h 12m.',
      color: 0x57f287,
    });
    expect(root?.edited_timestamp).not.toBeNull();
  });

  it('a reopen edits the start message back to open and replies once in the old thread', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents.id;
    const thread = (await h.adapter.deliver({
      delivery: discordDelivery(incidentEvent(), channel),
      possiblySent: false,
    })) as ThreadRef;
    const resolved = laterEvent('resolved');
    const step = { id: 'u4', body: 'The errors are back.', at: '2024-06-10T17:00:00.000Z' };
    for (const event of [resolved, reopenedEvent(resolved, step)]) {
      await h.adapter.deliver({
        delivery: discordDelivery(event, channel),
        thread,
        possiblySent: false,
      });
    }
    const inThread = h.fake.messagesIn(thread.threadId as string);
    expect(inThread.map((m) => m.embeds[0]?.title)).toEqual([
      'Resolved',
      'Reopened: Investigating',
    ]);
    expect(inThread[1]?.embeds[0]?.description).toBe('The errors are back.');
    expect(h.fake.messagesIn(channel)).toHaveLength(1);
    expect(h.fake.callsTo('PATCH /channels/:id/messages/:id')).toHaveLength(2);
    const [root] = h.fake.messagesIn(channel);
    expect(root?.embeds[0]).toMatchObject({ description: 'The errors are back.', color: 0xe67e22 });
    // The open form again: no Resolved or Duration field is left.
    const fields = root?.embeds[0]?.fields as { name: string }[] | undefined;
    expect(fields?.map((f) => f.name)).toEqual(['Status', 'Impact', 'Started', 'Components']);
  });

  it('shows a literal <api> from the status page, escaped, and @everyone pings nobody', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents.id;
    const body = toPlainText('<p>Use the &lt;api&gt; endpoint. @everyone</p>');
    const base = incidentEvent();
    const event = {
      ...base,
      update: { ...(base.update as NonNullable<typeof base.update>), body },
    };
    await h.adapter.deliver({ delivery: discordDelivery(event, channel), possiblySent: false });
    const [root] = h.fake.messagesIn(channel);
    expect(root?.embeds[0]?.description).toBe('Use the \\<api\\> endpoint. @\u200beveryone');
    expect(root).toMatchObject({ allowed_mentions: { parse: [] }, mention_everyone: false });
  });

  it('pings only the role the subscription asked for, and nobody from status page text', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents.id;
    const hostile = incidentEvent({
      subject: { ...incidentEvent().subject, title: '@everyone <@&500000000000000002> **down**' },
      update: {
        id: 'u1',
        status: 'investigating',
        body: '@here <@300000000000000001> [click](https://evil.example) __x__',
        at: '2024-06-10T14:00:00.000Z',
      },
    });
    const ref = (await h.adapter.deliver({
      delivery: discordDelivery(hostile, channel, { mention: { role: ROLE } }),
      possiblySent: false,
    })) as ThreadRef;
    const update = laterEvent('updated', {
      update: {
        id: 'u2',
        status: 'identified',
        body: '@everyone <@&500000000000000002>',
        at: '2024-06-10T14:30:00.000Z',
      },
    });
    await h.adapter.deliver({
      delivery: discordDelivery(update, channel),
      thread: ref,
      possiblySent: false,
    });

    const [root] = h.fake.messagesIn(channel);
    expect(root?.content).toBe(`<@&${ROLE}>`);
    expect(root?.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(root).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [ROLE] });
    const [reply] = h.fake.messagesIn(ref.threadId as string);
    expect(reply).toMatchObject({
      content: '',
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
    });

    for (const call of h.fake.calls.filter((c) => /^(POST|PATCH) \/channels/.test(c.route))) {
      const body = call.body as {
        allowed_mentions?: unknown;
        message?: { allowed_mentions?: unknown };
      };
      if (call.route.endsWith('/threads') && !body.message) continue; // thread creation has no message
      expect(body.allowed_mentions ?? body.message?.allowed_mentions).toBeDefined();
      const text = JSON.stringify((body as { embeds?: unknown }).embeds ?? '');
      // Rendered as plain text: no live mention, broadcast or masked link survives in the embeds.
      expect(text).not.toMatch(/(?<!\\\\)<@[&!]?\d+>/);
      expect(text).not.toMatch(/@(everyone|here)/);
      expect(text).not.toMatch(/(?<!\\\\)\[click(?<!\\\\)\]\(/);
    }
    expect(root?.embeds[0]?.title).toBe(
      '@\u200beveryone \\<@&500000000000000002\\> \\*\\*down\\*\\*',
    );
  });

  it('sends @here only when asked, and never for something already over', async () => {
    h = await startHarness();
    const channel = h.fake.channels.general.id;
    await h.adapter.deliver({
      delivery: discordDelivery(incidentEvent(), channel, { mention: 'here' }),
      possiblySent: false,
    });
    const combined = laterEvent('resolved', {
      combined: true,
      threadKey: 'github:inc2',
      id: 'github:inc2:resolved',
    });
    const ref = await h.adapter.deliver({
      delivery: discordDelivery(combined, channel, { mention: 'here' }),
      possiblySent: false,
    });
    const [first, second] = h.fake.messagesIn(channel);
    expect(first).toMatchObject({
      content: '@here',
      allowed_mentions: { parse: ['everyone'] },
      mention_everyone: true,
    });
    expect(second).toMatchObject({
      content: '',
      allowed_mentions: { parse: [] },
      mention_everyone: false,
    });
    expect(ref).toEqual({ channelId: channel, rootId: second?.id });
    // Neither start opens a thread itself; the combined one's ref never will (no threadName).
    expect(h.fake.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(0);
  });

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
    const thread = (await h.adapter.deliver({
      delivery: discordDelivery(incidentEvent(), channel),
      possiblySent: false,
    })) as ThreadRef;
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
    const thread = (await h.adapter.deliver({
      delivery: discordDelivery(incidentEvent(), channel),
      possiblySent: false,
    })) as ThreadRef;
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

  it('unarchives an archived thread to post in it', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents.id;
    const started = (await h.adapter.deliver({
      delivery: discordDelivery(incidentEvent(), channel),
      possiblySent: false,
    })) as ThreadRef;
    const ref = (await h.adapter.deliver({
      delivery: discordDelivery(laterEvent('updated'), channel),
      thread: started,
      possiblySent: false,
    })) as ThreadRef;
    const thread = h.fake.state.channels.get(ref.threadId as string);
    if (thread?.thread_metadata) thread.thread_metadata.archived = true;
    await h.adapter.deliver({
      delivery: discordDelivery(laterEvent('resolved'), channel),
      thread: ref,
      possiblySent: false,
    });
    expect(h.fake.messagesIn(ref.threadId as string)).toHaveLength(2);
    expect(thread?.thread_metadata?.archived).toBe(false);
  });
});
