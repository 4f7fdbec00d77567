import { Routes } from 'discord.js';
import type { Logger } from 'pino';
import type { Delivery, ThreadRef } from '../../src/incidents/subscription.js';
import { mayPingAny } from '../../src/incidents/thread-rules.js';
import {
  ARCHIVE_AFTER_MINUTES,
  CODES,
  type DeliverContext,
  FORUMS,
  type MessageJson,
} from './deliver-context.js';
import { nonceFor } from './deliver-refs.js';
import { apiCode } from './errors.js';
import { mentionPayload } from './mentions.js';
import { renderThreadReply } from './render.js';
import { renderGroupedReply } from './render-group.js';

/** Posts thread replies, opening the thread on the start message with the first one. */
export function createReplier({ rest, channelInfo, post }: DeliverContext) {
  async function ensureThread(
    channelId: string,
    msg: MessageJson,
    name: string,
    possiblySent: boolean,
    log: Logger,
  ) {
    if (msg.thread) return msg.thread.id;
    if (possiblySent) {
      const fresh = (await rest.get(Routes.channelMessage(channelId, msg.id))) as MessageJson;
      if (fresh.thread) return fresh.thread.id;
    }
    try {
      const body = { name, auto_archive_duration: ARCHIVE_AFTER_MINUTES };
      const thread = (await rest.post(Routes.threads(channelId, msg.id), { body })) as {
        id: string;
      };
      return thread.id;
    } catch (err) {
      // A thread started by an earlier attempt has the message's id.
      if (apiCode(err) === CODES.threadExists) return msg.id;
      if (apiCode(err) === 50013 || apiCode(err) === 50001) {
        log.warn(
          { code: apiCode(err) },
          'discord: cannot create threads here (Create Public Threads?); replies will follow the start message',
        );
        return undefined;
      }
      throw err;
    }
  }

  /** The ref with its thread opened (or, where threads cannot be made, without one). */
  async function openThread(
    ref: ThreadRef,
    possiblySent: boolean,
    log: Logger,
  ): Promise<ThreadRef> {
    const { threadName: name, threadId: _unopened, ...opened } = ref;
    if (name === undefined) return ref;
    const threadId = await ensureThread(ref.channelId, { id: ref.rootId }, name, possiblySent, log);
    return threadId ? { ...opened, threadId } : opened;
  }

  /** Posts the reply; resolves to the ref as it now stands (its thread opened if it was not). */
  async function reply(
    pending: ThreadRef,
    delivery: Delivery,
    possiblySent: boolean,
    log: Logger,
    beforeSend?: () => Promise<void>,
  ): Promise<ThreadRef> {
    const embed = pending.groupId
      ? renderGroupedReply(delivery.event)
      : renderThreadReply(delivery.event);
    // Only a confirmation may carry the subscription's ping (thread-rules mayPing).
    const body: Record<string, unknown> = {
      ...mentionPayload(mayPingAny(delivery.event) ? delivery.mention : 'none'),
      embeds: [embed],
      nonce: nonceFor(delivery.id),
      enforce_nonce: true,
    };
    const inChannel = {
      ...body,
      message_reference: { message_id: pending.rootId, fail_if_not_exists: false },
    };
    // Every request below posts (or opens a thread or unarchives so as to post) this message.
    await beforeSend?.();
    const ref = await openThread(pending, possiblySent, log);
    if (!ref.threadId) {
      await post(ref.channelId, inChannel);
      return ref;
    }
    try {
      await post(ref.threadId, body);
    } catch (err) {
      if (apiCode(err) === CODES.archived) {
        await rest.patch(Routes.channel(ref.threadId), { body: { archived: false } });
        await post(ref.threadId, body);
        return ref;
      }
      const info = await channelInfo(ref.channelId);
      if (apiCode(err) !== CODES.unknownChannel || FORUMS.has(info.type)) throw err;
      log.warn('discord: the incident thread was deleted; replying in the channel instead');
      await post(ref.channelId, inChannel);
    }
    return ref;
  }

  return reply;
}
