import { afterEach, describe, expect, it } from 'vitest';
import { forumRefFor } from '../../../adapters/discord/deliver-refs.js';
import { threadName } from '../../../adapters/discord/render.js';
import type { ThreadRef } from '../../../src/incidents/subscription.js';
import { FAULTS } from '../../fakes/discord/index.js';
import { discordDelivery, incidentEvent, laterEvent } from './events.js';
import { type Harness, startHarness } from './harness.js';

const _ROLE = '500000000000000001';

describe('discord adapter: deliver() in forum channels', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('posts a forum post per incident in a forum channel', async () => {
    h = await startHarness();
    const forum = h.fake.channels.forum.id;
    const ref = (await h.adapter.deliver({
      delivery: discordDelivery(incidentEvent(), forum),
      possiblySent: false,
    })) as ThreadRef;
    const [post] = h.fake.threadsOf(forum);
    expect(post?.name).toBe('GitHub: Degraded performance for Actions');
    expect(ref).toEqual({ channelId: forum, rootId: post?.id, threadId: post?.id });
    expect(h.fake.callsTo('POST /channels/:id/threads')[0]?.body).toMatchObject({
      message: { allowed_mentions: { parse: [] } },
    });
    await h.adapter.deliver({
      delivery: discordDelivery(laterEvent('resolved'), forum),
      thread: ref,
      possiblySent: false,
    });
    const messages = h.fake.messagesIn(ref.threadId as string);
    expect(messages.map((m) => m.embeds[0]?.title)).toEqual([
      'Degraded performance for Actions',
      'Resolved',
    ]);
    // The edit keeps the ref a retried create looks for.
    expect(messages[0]?.embeds[0]).toMatchObject({
      color: 0x57f287,
      footer: {
        text: `Status page incident · ref ${forumRefFor(`github:inc1|discord:200000000000000001:${forum}`)}`,
      },
    });

    // A retry of a start whose answer was lost finds the post instead of opening a second one.
    const again = await h.adapter.deliver({
      delivery: discordDelivery(incidentEvent(), forum),
      possiblySent: true,
    });
    expect(again).toEqual(ref);
    expect(h.fake.threadsOf(forum)).toHaveLength(1);
  });

  it('a retried forum start adopts only its own post, never an earlier one with the same name', async () => {
    h = await startHarness({ adapter: { rest: { offset: 0, retries: 0 } } });
    const forum = h.fake.channels.forum.id;
    const episode = (n: number) =>
      incidentEvent({
        id: `github:inc${n}:started:open`,
        threadKey: `github:inc${n}`,
        subject: { ...incidentEvent().subject, id: `inc${n}` },
      });
    const deliver = (n: number, possiblySent: boolean) =>
      h.adapter.deliver({ delivery: discordDelivery(episode(n), forum), possiblySent });
    expect(threadName(episode(2))).toBe(threadName(episode(1)));
    const first = (await deliver(1, false)) as ThreadRef;

    // The second episode's create fails before Discord commits it: the retry opens its own post.
    h.fake.addFault({
      route: 'POST /channels/:id/threads',
      fault: FAULTS.serverError(500),
      times: 1,
    });
    await expect(deliver(2, false)).rejects.toMatchObject({ kind: 'transient' });
    expect(h.fake.threadsOf(forum)).toHaveLength(1);
    const second = (await deliver(2, true)) as ThreadRef;
    expect(second.threadId).not.toBe(first.threadId);
    expect(h.fake.threadsOf(forum).map((t) => t.name)).toEqual([
      threadName(episode(1)),
      threadName(episode(1)),
    ]);

    // The third's create is committed but its answer lost: the retry adopts that post only.
    h.fake.addFault({
      route: 'POST /channels/:id/threads',
      fault: FAULTS.serverError(502),
      afterEffect: true,
      times: 1,
    });
    await expect(deliver(3, false)).rejects.toMatchObject({ kind: 'transient' });
    const third = h.fake.threadsOf(forum)[2];
    expect(await deliver(3, true)).toEqual({
      channelId: forum,
      rootId: third?.id,
      threadId: third?.id,
    });
    expect(h.fake.threadsOf(forum)).toHaveLength(3);
    const starter = h.fake.messagesIn(third?.id as string)[0];
    const thread = discordDelivery(episode(3), forum).thread;
    expect(starter?.embeds[0]).toMatchObject({
      footer: { text: `Status page incident · ref ${forumRefFor(thread)}` },
    });
  });
});
