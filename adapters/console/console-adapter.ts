import type { ChatAdapter, DeliveryRequest } from '../../src/delivery/chat-adapter.js';
import type { ThreadRef } from '../../src/incidents/subscription.js';
import { editsRoot } from '../../src/incidents/thread-rules.js';
import {
  renderGroupedReply,
  renderGroupRoot,
  renderReply,
  renderRootEdit,
  renderStart,
} from './render.js';

/** The adapter used with no chat platform: the outage feed, printed for a person at a terminal. */
export function createConsoleAdapter(write: (text: string) => void): ChatAdapter {
  return {
    platform: 'console',
    async start() {},
    async stop() {},
    async deliver({ delivery, thread }: DeliveryRequest): Promise<ThreadRef | undefined> {
      const event = delivery.event;
      if (!thread) {
        // No thread here yet (a late join, or a combined started-and-resolved): open one.
        write(`${renderStart(event)}\n`);
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
