import type { ChatAdapter, DeliveryRequest } from '../../src/delivery/chat-adapter.js';
import type { IncidentEvent } from '../../src/incidents/model.js';
import type { MentionKind, ThreadRef } from '../../src/incidents/subscription.js';
import { terminalSafe } from './render.js';

/** A chat platform's rendering, as lines of text a terminal can show. */
export interface PreviewRenderer {
  /** The message that opens a thread. */
  root(event: IncidentEvent, mention: MentionKind): string[];
  /** A reply in the thread. */
  reply(event: IncidentEvent): string[];
  /** The start message as the platform would edit it after this reply; undefined: no edit. */
  edit(event: IncidentEvent): string[] | undefined;
}

/**
 * The console showing what another platform would post, with no workspace and no token (a
 * replay's `--platform slack`): each message is that platform's own rendering, flattened to text.
 * Replies and edits carry the thread's key, as the console feed does.
 */
export function createPreviewAdapter(
  label: string,
  renderer: PreviewRenderer,
  write: (text: string) => void,
): ChatAdapter {
  const print = (lines: string[], first: string, rest: string, end?: string) => {
    const text = lines.map((line, i) => `${i === 0 ? first : rest}${line}`);
    if (end) text.push(end);
    write(`${terminalSafe(text.join('\n'))}\n`);
  };
  return {
    platform: 'console',
    async start() {},
    async stop() {},
    async deliver({ delivery, thread }: DeliveryRequest): Promise<ThreadRef | undefined> {
      const event = delivery.event;
      const tag = `[${event.threadKey}]`;
      if (!thread) {
        print(renderer.root(event, delivery.mention), `${label} ┏ ${tag} `, '┃ ', '┗');
        return { channelId: delivery.channel.channelId, rootId: event.threadKey };
      }
      print(renderer.reply(event), `  ↳ ${tag} `, '    ');
      const edited = renderer.edit(event);
      if (edited) print(edited, `  ✎ ${tag} start message now reads: `, '    ');
      return undefined;
    },
  };
}
