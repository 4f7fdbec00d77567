import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import {
  DeliveryError,
  type DeliveryRequest,
  type GroupRootEdit,
} from '../../src/delivery/chat-adapter.js';
import { digestOf } from '../../src/digest/digest-model.js';
import type { Delivery, ThreadRef } from '../../src/incidents/subscription.js';
import {
  closesThread,
  confirmsThread,
  mayPingAny,
  reopensThread,
} from '../../src/incidents/thread-rules.js';
import { platformError, toDeliveryError } from './errors.js';
import type { ChannelPacer } from './pacer.js';
import { renderDigest } from './render-digest.js';
import { renderGroupedReply, renderGroupRoot } from './render-group.js';
import {
  METADATA_EVENT_TYPE,
  metadataFor,
  renderClosedRoot,
  renderReply,
  renderRoot,
  type SlackMessage,
} from './render-incident.js';

type WebClient = webApi.WebClient;

export interface SlackDelivererOptions {
  /**
   * For writes (chat.postMessage, chat.update): retries 429s only. A blind retry after a 5xx or a
   * timeout could post twice, or edit twice; the worker's retry looks first instead.
   */
  poster: WebClient;
  /** For reads (history, replies): retries 429s, 5xx and timeouts. */
  api: WebClient;
  pacer: ChannelPacer;
  logger: Logger;
}

/** How far back before a delivery was enqueued an earlier copy of it is looked for. */
const LOOKBACK_MS = 10 * 60_000;
const LOOKUP_PAGES = 5;

/** Lookup failures that do not stop a send: the bot cannot read there, but may be able to post. */
const UNREADABLE = new Set(['not_in_channel', 'missing_scope', 'channel_not_found']);

/**
 * deliver() for Slack: no thread yet -> a root message (its ThreadRef is returned); otherwise a
 * reply with the root's thread_ts, and for a resolution (or a reopening) also the root edited to
 * its closed (or open) form.
 * When an earlier attempt may have reached Slack, the message is first looked for by the
 * delivery id in its metadata, and reused if found.
 */
export class SlackDeliverer {
  constructor(private readonly options: SlackDelivererOptions) {}

  async deliver(req: DeliveryRequest): Promise<ThreadRef | undefined> {
    const { delivery, thread, possiblySent, beforeSend } = req;
    if (!thread) {
      const channelId = delivery.channel.channelId;
      const earlier = possiblySent ? await this.findRoot(channelId, delivery) : undefined;
      if (earlier) return { channelId, rootId: earlier };
      const digest = digestOf(delivery.event);
      const posted = await this.post(
        channelId,
        digest ? renderDigest(digest) : renderRoot(delivery.event, delivery.mention),
        delivery,
        undefined,
        beforeSend,
      );
      return { channelId: posted.channel, rootId: posted.ts };
    }
    const earlier = possiblySent ? await this.findReply(thread, delivery) : undefined;
    if (!earlier) await this.postReply(thread, delivery, beforeSend);
    // A group's root is the group's: the worker edits it (editGroupRoot), never one member.
    if (thread.groupId) return thread;
    let edit: { message: SlackMessage; state: string } | undefined;
    if (closesThread(delivery.event)) {
      edit = { message: renderClosedRoot(delivery.event), state: 'resolved' };
    } else if (reopensThread(delivery.event) || confirmsThread(delivery.event)) {
      // Back to the open form, or showing how sure it now is; nobody is pinged by an edit.
      edit = { message: renderRoot(delivery.event, 'none'), state: 'open again' };
    }
    // An earlier attempt may have edited the root already and died before recording it.
    if (edit && !(possiblySent && (await this.rootReads(thread, edit.message)))) {
      await this.editRoot(thread, edit.message, edit.state);
    }
    return thread;
  }

  /** The root already shows `message` (an earlier attempt's edit went through). */
  private async rootReads(thread: ThreadRef, message: SlackMessage): Promise<boolean> {
    try {
      // A thread's replies start with its parent.
      const res = await this.options.api.conversations.replies({
        channel: thread.channelId,
        ts: thread.rootId,
        limit: 1,
      });
      const root = res.messages?.[0];
      const same = root?.ts === thread.rootId && root.text === message.text;
      if (same) {
        this.options.logger.info(
          { channel: thread.channelId, root: thread.rootId },
          'the start message was edited by the earlier attempt; not edited again',
        );
      }
      return same;
    } catch (err) {
      const code = platformError(err);
      // Unreadable or gone: the edit decides (a second identical edit is the lesser harm).
      if (code && (UNREADABLE.has(code) || code === 'thread_not_found')) return false;
      throw toDeliveryError(err, 'conversations.replies');
    }
  }

  /** A group's root rewritten to list the group as it stands. */
  async editGroupRoot({ root, group }: GroupRootEdit): Promise<void> {
    await this.editRoot(root, renderGroupRoot(group), 'as the group stands');
  }

  private async postReply(
    thread: ThreadRef,
    delivery: Delivery,
    beforeSend?: () => Promise<void>,
  ): Promise<void> {
    try {
      // Only a confirmation may carry the subscription's ping; a group's lines never ping.
      const reply = thread.groupId
        ? renderGroupedReply(delivery.event)
        : renderReply(delivery.event, mayPingAny(delivery.event) ? delivery.mention : 'none');
      await this.post(thread.channelId, reply, delivery, thread.rootId, beforeSend);
    } catch (err) {
      if (platformError(err) !== 'thread_not_found') throw toDeliveryError(err, 'chat.postMessage');
      // Someone deleted the start message: say it again on its own rather than lose it.
      this.options.logger.warn(
        { channel: thread.channelId, root: thread.rootId },
        'thread root is gone; posting this message on its own',
      );
      await this.post(
        thread.channelId,
        renderRoot(delivery.event, 'none'),
        delivery,
        undefined,
        beforeSend,
      );
    }
  }

  private async post(
    channel: string,
    message: SlackMessage,
    delivery: Delivery,
    threadTs?: string,
    beforeSend?: () => Promise<void>,
  ): Promise<{ channel: string; ts: string }> {
    const res = await this.options.pacer
      .run(channel, async () => {
        await beforeSend?.();
        return this.options.poster.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          metadata: metadataFor(delivery),
          unfurl_links: false,
          unfurl_media: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
      })
      .catch((err: unknown) => {
        if (threadTs && platformError(err) === 'thread_not_found') throw err;
        const failure = toDeliveryError(err, 'chat.postMessage');
        // A 429 is Slack saying it did not post: the retry need not look for a copy.
        if (failure.kind !== 'rate_limited' || failure.notPosted) throw failure;
        throw new DeliveryError('rate_limited', failure.message, {
          retryAfterMs: failure.retryAfterMs,
          notPosted: true,
        });
      });
    if (!res.ts) throw new DeliveryError('transient', 'chat.postMessage answered without a ts');
    return { channel: res.channel ?? channel, ts: res.ts };
  }

  /** The root rewritten; a root that can no longer be edited is not worth a retry loop. */
  private async editRoot(thread: ThreadRef, message: SlackMessage, state: string): Promise<void> {
    try {
      await this.options.poster.chat.update({
        channel: thread.channelId,
        ts: thread.rootId,
        text: message.text,
        blocks: message.blocks,
      });
    } catch (err) {
      const failure = toDeliveryError(err, 'chat.update');
      if (failure.kind !== 'permanent') throw failure;
      this.options.logger.warn(
        { channel: thread.channelId, root: thread.rootId, err: failure.message },
        `could not mark the start message ${state}`,
      );
    }
  }

  private async findRoot(channel: string, delivery: Delivery): Promise<string | undefined> {
    const oldest = ((Date.parse(delivery.enqueuedAt) - LOOKBACK_MS) / 1000).toFixed(6);
    return this.lookup(delivery, 'conversations.history', (cursor) =>
      this.options.api.conversations.history({
        channel,
        oldest,
        limit: 200,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      }),
    );
  }

  private async findReply(thread: ThreadRef, delivery: Delivery): Promise<string | undefined> {
    return this.lookup(delivery, 'conversations.replies', (cursor) =>
      this.options.api.conversations.replies({
        channel: thread.channelId,
        ts: thread.rootId,
        limit: 200,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      }),
    );
  }

  private async lookup(
    delivery: Delivery,
    method: string,
    fetchPage: (cursor?: string) => Promise<MessagePage>,
  ): Promise<string | undefined> {
    let cursor: string | undefined;
    try {
      for (let page = 0; page < LOOKUP_PAGES; page += 1) {
        const res = await fetchPage(cursor);
        const found = res.messages?.find((m) => carries(m, delivery.id));
        if (found?.ts) {
          this.options.logger.info(
            { ts: found.ts },
            'found the earlier attempt in Slack; reusing it',
          );
          return found.ts;
        }
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor) return undefined;
      }
      return undefined;
    } catch (err) {
      const code = platformError(err);
      if (code && UNREADABLE.has(code)) {
        // Posting decides whether the channel is really gone; a duplicate is the lesser harm.
        this.options.logger.warn(
          { err: code },
          `${method} is not readable; cannot check for an earlier copy`,
        );
        return undefined;
      }
      throw toDeliveryError(err, method);
    }
  }
}

interface MessagePage {
  messages?: Array<{ ts?: string; metadata?: { event_type?: string; event_payload?: unknown } }>;
  response_metadata?: { next_cursor?: string };
}

function carries(
  message: { metadata?: { event_type?: string; event_payload?: unknown } },
  deliveryId: string,
): boolean {
  const meta = message.metadata;
  if (meta?.event_type !== METADATA_EVENT_TYPE) return false;
  const payload = meta.event_payload as { delivery_id?: unknown } | undefined;
  return payload?.delivery_id === deliveryId;
}
