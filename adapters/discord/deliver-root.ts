import { type APIEmbed, Routes } from 'discord.js';
import type { Logger } from 'pino';
import type { GroupRootEdit } from '../../src/delivery/chat-adapter.js';
import { summarizeGroup } from '../../src/incidents/grouping.js';
import type { Delivery, ThreadRef } from '../../src/incidents/subscription.js';
import { closesThread } from '../../src/incidents/thread-rules.js';
import { CODES, type DeliverContext, FORUMS, type MessageJson } from './deliver-context.js';
import { forumRefFor } from './deliver-refs.js';
import { apiCode, toDeliveryError } from './errors.js';
import { noMentions } from './mentions.js';
import { renderRoot } from './render.js';
import { incidentComponents } from './render-buttons.js';
import { renderGroupRoot } from './render-group.js';

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

/** Edits start messages (an incident's, a group's) to follow their thread, archiving when over. */
export function createRootEditor({ deps, rest, channelInfo }: DeliverContext) {
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

  return { editRoot, editGroupRoot };
}
