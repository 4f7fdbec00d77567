import type { DeliveryRequest } from '../../src/delivery/chat-adapter.js';
import type { ThreadRef } from '../../src/incidents/subscription.js';
import { editsRoot } from '../../src/incidents/thread-rules.js';
import { createDeliverContext, type DelivererDeps } from './deliver-context.js';
import { createReplier } from './deliver-reply.js';
import { createRootEditor } from './deliver-root.js';
import { createStarter } from './deliver-start.js';
import { toDeliveryError } from './errors.js';

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
 *
 * Starts live in deliver-start.ts, replies in deliver-reply.ts, root edits in deliver-root.ts.
 */

export function createDeliverer(deps: DelivererDeps) {
  const ctx = createDeliverContext(deps);
  const start = createStarter(ctx);
  const reply = createReplier(ctx);
  const { editRoot, editGroupRoot } = createRootEditor(ctx);

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

  return { deliver, editGroupRoot };
}
