import { afterEach, describe, expect, it } from 'vitest';
import { nonceFor } from '../../../adapters/discord/deliver-refs.js';
import type { ThreadRef } from '../../../src/incidents/subscription.js';
import { reopenedEvent } from '../../helpers/events.js';
import { startIncident } from './deliver-fixture.js';
import { discordDelivery, incidentEvent, laterEvent } from './events.js';
import { type Harness, startHarness } from './harness.js';

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
    const thread = await startIncident(h, channel);
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

  it('unarchives an archived thread to post in it', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents.id;
    const started = await startIncident(h, channel);
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
