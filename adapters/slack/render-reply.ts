import type { Reply, ReplyItem } from '../../commands/command.js';
import { LIMITS, linkTo, literal } from './escape.js';
import { type Block, context, section } from './render-incident.js';

/** A command's Reply as a slash-command response (the ack body, or a response_url post). */
export interface SlackCommandResponse {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks: Block[];
}

/** Slack allows 50 blocks; a few are kept for the title, the text and the "more" line. */
const MAX_ITEM_BLOCKS = 45;

/**
 * Pure: Reply -> Block Kit. Replies are plain text by contract, and may quote what a user typed
 * (a service name that does not exist), so every part is escaped like status-page text.
 */
export function renderCommandReply(reply: Reply): SlackCommandResponse {
  const blocks: Block[] = [];
  const title = reply.title ? `*${literal(reply.title, 200)}*` : '';
  const lead = reply.error ? ':warning: ' : '';
  const text = reply.text ? literal(reply.text, LIMITS.section - title.length - 12) : '';
  const first = [title, text].filter(Boolean).join('\n');
  if (first) blocks.push(section(`${lead}${first}`));
  const lines = (reply.items ?? []).map(itemLine);
  const chunks = chunkLines(lines, LIMITS.section);
  for (const chunk of chunks.slice(0, MAX_ITEM_BLOCKS)) blocks.push(section(chunk.text));
  const hidden = chunks.slice(MAX_ITEM_BLOCKS).reduce((n, c) => n + c.count, 0);
  if (hidden > 0) blocks.push(context([`…and ${hidden} more.`]));
  if (blocks.length === 0) blocks.push(section(lead ? `${lead}(no answer)` : '(no answer)'));
  const plain = [reply.title, reply.text].filter(Boolean).join(': ');
  return {
    response_type: reply.visibility,
    text: `${lead}${literal(plain || 'outage-bot', 3_000)}`,
    blocks,
  };
}

function itemLine(item: ReplyItem): string {
  const label = linkTo(item.url, item.label) ?? `*${literal(item.label, 300)}*`;
  return item.detail ? `• ${label} — ${literal(item.detail, 1_000)}` : `• ${label}`;
}

function chunkLines(lines: string[], max: number): Array<{ text: string; count: number }> {
  const chunks: Array<{ text: string; count: number }> = [];
  let current: { text: string; count: number } | undefined;
  for (const line of lines) {
    if (current && current.text.length + 1 + line.length <= max) {
      current.text += `\n${line}`;
      current.count += 1;
    } else {
      current = { text: line, count: 1 };
      chunks.push(current);
    }
  }
  return chunks;
}
