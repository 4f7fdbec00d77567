import type { ChatAdapter, DeliveryRequest } from '../../src/delivery/chat-adapter.js';
import { digestOf } from '../../src/digest/digest-model.js';
import type { ThreadRef } from '../../src/incidents/subscription.js';
import { editsRoot } from '../../src/incidents/thread-rules.js';
import {
  renderGroupedReply,
  renderGroupRoot,
  renderRepeatNotice,
  renderReply,
  renderRootEdit,
  renderStart,
} from './render.js';
import { renderDigestText } from './render-digest.js';

/**
 * The adapter used with no chat platform: the outage feed, printed for a person at a terminal.
 *
 * What was printed cannot be read back, so unlike a chat platform the console cannot look for an
 * earlier copy: a bot killed between printing a message and recording it prints the message again
 * after the restart. Every attempt is recorded before it prints (`beforeSend`), so such a repeat
 * comes after a line saying so; dropping it instead would lose the message whenever the kill came
 * between the record and the print.
 */
export function createConsoleAdapter(write: (text: string) => void): ChatAdapter {
  return {
    platform: 'console',
    async start() {},
    async stop() {},
    async deliver({
      delivery,
      thread,
      possiblySent,
      beforeSend,
    }: DeliveryRequest): Promise<ThreadRef | undefined> {
      const event = delivery.event;
      await beforeSend?.();
      // Tagged as the message after it is (a group's thread carries the group's root).
      const tag = thread?.groupId ? thread.rootId : event.threadKey;
      if (possiblySent) write(`${renderRepeatNotice(tag)}\n`);
      if (!thread) {
        // No thread here yet (a late join, or a combined started-and-resolved): open one.
        const digest = digestOf(event);
        write(`${digest ? renderDigestText(digest) : renderStart(event)}\n`);
        return { channelId: delivery.channel.channelId, rootId: event.threadKey };
      }
      if (thread.groupId) {
        // A service's message in a group's thread: the root is the group's, edited on its own.
        write(`${renderGroupedReply(event, thread.rootId)}\n`);
        return undefined;
      }
      write(`${renderReply(event)}\n`);
      if (editsRoot(event)) write(`${renderRootEdit(event)}\n`);
      return undefined;
    },
    async editGroupRoot({ root, group }) {
      write(`${renderGroupRoot(group, root.rootId)}\n`);
    },
  };
}
