import { createHash } from 'node:crypto';
import { type APIEmbed, type REST, Routes } from 'discord.js';
import type { Logger } from 'pino';
import type { DeliveryRequest, GroupRootEdit } from '../../src/delivery/chat-adapter.js';
import { digestOf } from '../../src/digest/digest-model.js';
import { summarizeGroup } from '../../src/incidents/grouping.js';
import type { Delivery, ThreadRef } from '../../src/incidents/subscription.js';
import { closesThread, editsRoot, isOver, mayPingAny } from '../../src/incidents/thread-rules.js';
import { apiCode, toDeliveryError } from './errors.js';
import { mentionPayload, noMentions } from './mentions.js';
import { renderRoot, renderThreadReply, threadName } from './render.js';
import { incidentComponents } from './render-buttons.js';
import { digestPostName, renderDigestEmbed } from './render-digest.js';
import { renderGroupedReply, renderGroupRoot } from './render-group.js';

/**
 * deliver() for Discord, over @discordjs/rest (its buckets and 429 handling, no limiter of our
 * own). A start posts the message alone (one request, so a burst of starts reaches every channel
 * at the rate limit's pace); the first reply opens the thread on it (the ref's threadName says it
 * is still to be opened) and the worker records the ref it returns. In a forum channel it becomes a forum post
 * instead; in a channel that cannot hold threads (a thread itself, say) replies reference the
 * start message. Every created message carries a nonce derived from the delivery id with
 * enforce_nonce, so a retried send returns the first message instead of posting a second; before
 * opening a thread on an existing message the message is checked for one. Forum posts take no
 * nonce, and a nonce cannot be read back, so a forum post's starter embed ends its footer with a
 * ref derived from the delivery's thread (`… · ref <ref>`), and a retried create adopts only the
 * post whose starter carries that ref: incidents recur with the same name.
 */

export interface ChannelInfo {
  type: number;
  guildId?: string;
}

export interface DelivererDeps {
  rest: Pick<REST, 'get' | 'post' | 'patch'>;
  logger: Logger;
  /** The bot's user id; forum retries look for the bot's own posts. */
  botUserId(): Promise<string | undefined>;
  /** Channel facts discord.js already has from the gateway, to save a GET. */
  cachedChannel?(id: string): ChannelInfo | undefined;
  archiveOnResolve: boolean;
}

const THREADABLE = new Set([0, 5]); // text, announcement
const FORUMS = new Set([15, 16]); // forum, media
const ARCHIVE_AFTER_MINUTES = 10_080; // a week: long incidents keep their thread open

const CODES = {
  unknownChannel: 10003,
  unknownMessage: 10008,
  archived: 50083,
  threadExists: 160004,
};

/** Discord nonces are at most 25 characters; a hash of the delivery id is stable across retries. */
export const nonceFor = (deliveryId: string): string =>
  createHash('sha256').update(deliveryId).digest('base64url').slice(0, 25);

/** The ref a forum post's starter shows for its thread (`Delivery.thread`): short, stable. */
export const forumRefFor = (thread: string): string =>
  createHash('sha256').update(thread).digest('base64url').slice(0, 12);

const refSuffix = (ref: string) => ` · ref ${ref}`;

interface MessageJson {
  id: string;
  thread?: { id: string };
  embeds?: APIEmbed[];
}

/**
 * The parts of an embed a reader sees and this bot sets; Discord adds defaults (type, proxy
 * URLs) and rewrites timestamps to its own format, so whole embeds do not compare.
 */
function sameEmbed(shown: APIEmbed | undefined, wanted: APIEmbed): boolean {
  const seen = (e: APIEmbed) =>
    JSON.stringify([
      e.title ?? '',
      e.description ?? '',
      e.url ?? '',
      e.color ?? 0,
      e.footer?.text ?? '',
      (e.fields ?? []).map((f) => [f.name, f.value]),
    ]);
  return shown !== undefined && seen(shown) === seen(wanted);
}

export function createDeliverer(deps: DelivererDeps) {
  const { rest } = deps;
  const channels = new Map<string, ChannelInfo>();

  async function channelInfo(id: string): Promise<ChannelInfo> {
    const known = channels.get(id) ?? deps.cachedChannel?.(id);
    if (known) return known;
    const raw = (await rest.get(Routes.channel(id))) as { type: number; guild_id?: string };
    const info = { type: raw.type, ...(raw.guild_id ? { guildId: raw.guild_id } : {}) };
    channels.set(id, info);
    return info;
  }

  const post = (channelId: string, body: Record<string, unknown>) =>
    rest.post(Routes.channelMessages(channelId), { body }) as Promise<MessageJson>;

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

  /**
   * Rewrites the start message; a forum post's starter keeps the ref of its own thread. After a
   * possible earlier attempt the message is read first: that attempt may have edited it already
   * and died before recording it.
   */
  async function patchRoot(
    ref: ThreadRef,
    rootThread: string,
    render: (opts: { ref?: string }) => APIEmbed,
    possiblySent: boolean,
    log: Logger,
    components?: unknown[],
  ): Promise<void> {
    const forum =
      ref.threadId === ref.rootId && FORUMS.has((await channelInfo(ref.channelId)).type);
    const where = forum ? ref.rootId : ref.channelId;
    try {
      const embed = render(forum ? { ref: forumRefFor(rootThread) } : {});
      const shown = possiblySent
        ? ((await rest.get(Routes.channelMessage(where, ref.rootId))) as MessageJson)
        : undefined;
      if (shown && sameEmbed(shown.embeds?.[0], embed)) {
        log.info('discord: the start message was edited by the earlier attempt; not edited again');
      } else {
        const body = {
          embeds: [embed],
          allowed_mentions: noMentions(),
          ...(components ? { components } : {}),
        };
        await rest.patch(Routes.channelMessage(where, ref.rootId), { body });
      }
    } catch (err) {
      if (apiCode(err) !== CODES.unknownMessage) throw err;
      log.warn('discord: the start message was deleted; nothing to edit');
    }
  }

  async function editRoot(
    ref: ThreadRef,
    delivery: Delivery,
    possiblySent: boolean,
    log: Logger,
  ): Promise<void> {
    const { event } = delivery;
    const render = (opts: { ref?: string }) => renderRoot(event, opts);
    // The buttons follow the state: all three while open, only the link once over.
    await patchRoot(ref, delivery.thread, render, possiblySent, log, incidentComponents(event));
    if (deps.archiveOnResolve && ref.threadId && closesThread(event)) {
      await rest
        .patch(Routes.channel(ref.threadId), { body: { archived: true } })
        .catch((err: unknown) => {
          log.warn({ err: String(err) }, 'discord: could not archive the incident thread');
        });
    }
  }

  async function deliver(req: DeliveryRequest): Promise<ThreadRef | undefined> {
    const { delivery, thread } = req;
    const log = deps.logger.child({ delivery: delivery.id, channel: delivery.channel.channelId });
    try {
      if (!thread) return await start(req);
      const ref = await reply(thread, delivery, req.possiblySent, log, req.beforeSend);
      // A group's root is the group's: the worker edits it (editGroupRoot), never one member.
      if (thread.groupId) return ref;
      // The root follows the thread: resolved when it closes, open again when it reopens.
      if (editsRoot(delivery.event)) await editRoot(ref, delivery, req.possiblySent, log);
      return ref;
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  /** A group's root rewritten to list the group as it stands (rule 8). */
  async function editGroupRoot({ root, group, channel }: GroupRootEdit): Promise<void> {
    const log = deps.logger.child({ group: group.id, channel: channel.channelId });
    try {
      // Group edits are idempotent by content (each lists the group as it stands): no read first.
      // A group's root speaks for several services: no per-service buttons (the first start's go).
      const render = (opts: { ref?: string }) => renderGroupRoot(group, opts);
      await patchRoot(root, group.id, render, false, log, []);
      if (deps.archiveOnResolve && root.threadId && summarizeGroup(group).over) {
        await rest
          .patch(Routes.channel(root.threadId), { body: { archived: true } })
          .catch((err: unknown) => {
            log.warn({ err: String(err) }, 'discord: could not archive the group thread');
          });
      }
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  return { deliver, editGroupRoot };
}
