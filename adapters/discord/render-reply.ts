import type { APIEmbed } from 'discord.js';
import type { Reply, ReplyItem } from '../../commands/command.js';
import { cut, EMBED_LIMITS, safe, safeUrl } from './text.js';

/**
 * A platform-neutral command Reply as one embed. Reply text is plain and may echo user input or
 * status-page text, so all of it is escaped; items become bullets, with a masked link when they
 * carry an http(s) URL. Items that do not fit the description limit are summarized.
 */

export const REPLY_COLORS = { normal: 0x5865f2, error: 0xed4245 } as const;

function itemLine(item: ReplyItem): string {
  const label = safe(item.label, 200);
  const url = safeUrl(item.url);
  // `)` would end a masked link early; percent-encoding it keeps the same address.
  const linked = url ? `[${label}](${url.replace(/\)/g, '%29')})` : `**${label}**`;
  return item.detail ? `• ${linked}: ${safe(item.detail, 300)}` : `• ${linked}`;
}

export function renderReply(reply: Reply): APIEmbed {
  const limit = EMBED_LIMITS.description;
  let description = safe(reply.text, limit);
  const items = reply.items ?? [];
  let shown = 0;
  for (const item of items) {
    const line = itemLine(item);
    const more = items.length - shown - 1;
    const reserve = more > 0 ? 32 : 0;
    if (description.length + line.length + 1 + reserve > limit) break;
    description = description ? `${description}\n${line}` : line;
    shown += 1;
  }
  if (shown < items.length) description += `\n…and ${items.length - shown} more`;
  return {
    ...(reply.title ? { title: safe(reply.title, EMBED_LIMITS.title) } : {}),
    description: cut(description, limit) || '\u200b',
    color: reply.error ? REPLY_COLORS.error : REPLY_COLORS.normal,
    // The picture is sent as an attachment (replyFiles) and shown inside the embed.
    ...(reply.image ? { image: { url: `attachment://${reply.image.filename}` } } : {}),
  };
}

/** Discord's limit on an attachment's description (its alt text). */
const ALT_TEXT_MAX = 1_024;

/** The Reply's picture as discord.js files (sent multipart with the message). */
export function replyFiles(
  reply: Reply,
): { attachment: Buffer; name: string; description: string }[] {
  const image = reply.image;
  if (!image) return [];
  return [
    {
      attachment: Buffer.from(image.png),
      name: image.filename,
      description: cut(image.altText, ALT_TEXT_MAX),
    },
  ];
}
