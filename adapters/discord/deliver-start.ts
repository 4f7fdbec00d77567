import { type APIEmbed, Routes } from 'discord.js';
import type { DeliveryRequest } from '../../src/delivery/chat-adapter.js';
import { digestOf } from '../../src/digest/digest-model.js';
import type { Delivery, ThreadRef } from '../../src/incidents/subscription.js';
import { isOver, mayPingAny } from '../../src/incidents/thread-rules.js';
import {
  ARCHIVE_AFTER_MINUTES,
  CODES,
  type DeliverContext,
  FORUMS,
  type MessageJson,
  THREADABLE,
} from './deliver-context.js';
import { forumRefFor, nonceFor, refSuffix } from './deliver-refs.js';
import { apiCode } from './errors.js';
import { mentionPayload } from './mentions.js';
import { renderRoot, threadName } from './render.js';
import { incidentComponents } from './render-buttons.js';
import { digestPostName, renderDigestEmbed } from './render-digest.js';

/** Posts a start: one message (its thread opens with the first reply), or a forum post. */
export function createStarter({ deps, rest, channelInfo, post }: DeliverContext) {
  function startBody(
    delivery: Delivery,
    ref?: string,
  ): {
    content?: string;
    embeds: APIEmbed[];
    components?: unknown[];
    allowed_mentions: unknown;
  } {
    const mention = mentionPayload(mayPingAny(delivery.event) ? delivery.mention : 'none');
    const digest = digestOf(delivery.event);
    const embed = digest
      ? renderDigestEmbed(digest, ref ? { ref } : {})
      : renderRoot(delivery.event, ref ? { ref } : {});
    // A digest is no incident: it has no buttons.
    return {
      ...mention,
      embeds: [embed],
      ...(digest ? {} : { components: incidentComponents(delivery.event) }),
    };
  }

  /** The bot's active post in this forum whose starter carries `ref`; the name only narrows. */
  async function findOwnForumPost(
    forumId: string,
    guildId: string | undefined,
    name: string,
    ref: string,
  ) {
    const botId = await deps.botUserId();
    if (!guildId || !botId) return undefined;
    const { threads } = (await rest.get(Routes.guildActiveThreads(guildId))) as {
      threads: { id: string; parent_id?: string; owner_id?: string; name?: string }[];
    };
    const candidates = threads.filter(
      (t) => t.parent_id === forumId && t.owner_id === botId && t.name === name,
    );
    for (const post of candidates) {
      // A forum post's starter message has the thread's id.
      const starter = (await rest
        .get(Routes.channelMessage(post.id, post.id))
        .catch((err: unknown) => {
          if (apiCode(err) === CODES.unknownMessage) return undefined;
          throw err;
        })) as MessageJson | undefined;
      const footer = starter?.embeds?.[0]?.footer?.text ?? '';
      if (footer.endsWith(refSuffix(ref))) return post;
    }
    return undefined;
  }

  async function start(req: DeliveryRequest): Promise<ThreadRef> {
    const { delivery, possiblySent } = req;
    const channelId = delivery.channel.channelId;
    const info = await channelInfo(channelId);
    const digest = digestOf(delivery.event);
    const name = digest ? digestPostName(digest) : threadName(delivery.event);
    if (FORUMS.has(info.type)) {
      const ref = forumRefFor(delivery.thread);
      const found = possiblySent
        ? await findOwnForumPost(channelId, info.guildId, name, ref)
        : undefined;
      if (found) return { channelId, rootId: found.id, threadId: found.id };
      const body = {
        name,
        auto_archive_duration: ARCHIVE_AFTER_MINUTES,
        message: startBody(delivery, ref),
      };
      await req.beforeSend?.();
      const thread = (await rest.post(Routes.threads(channelId), { body })) as { id: string };
      // A forum post's starter message has the thread's id.
      return { channelId, rootId: thread.id, threadId: thread.id };
    }
    await req.beforeSend?.();
    const msg = await post(channelId, {
      ...startBody(delivery),
      nonce: nonceFor(delivery.id),
      enforce_nonce: true,
    });
    if (!THREADABLE.has(info.type) || isOver(delivery.event.subject))
      return { channelId, rootId: msg.id };
    if (msg.thread) return { channelId, rootId: msg.id, threadId: msg.thread.id };
    // A thread opened on a message has the message's id; the first reply opens it.
    return { channelId, rootId: msg.id, threadId: msg.id, threadName: name };
  }

  return start;
}
