import type { APIEmbed } from 'discord.js';
import { digestOf } from '../../src/digest/digest-model.js';
import { editsRoot } from '../../src/incidents/thread-rules.js';
import type { PreviewRenderer } from '../console/preview-adapter.js';
import { renderRoot, renderThreadReply, threadName } from './render.js';
import { renderDigestEmbed } from './render-digest.js';

/**
 * Discord's messages as the Discord adapter renders them (render.ts), flattened to text for a
 * terminal: the thread's name, then the embed's title, description, fields and footer; Discord
 * timestamps as UTC, markdown escapes dropped.
 */

const utc = (text: string): string =>
  text
    .replace(/<t:(\d+):([fR])>/g, (_, seconds: string, style: string) =>
      style === 'R'
        ? ''
        : `${new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    )
    .replace(/ \(\)/g, '')
    .replace(/\\([\\*_~`|()[\]>#-])/g, '$1');

function embedLines(embed: APIEmbed): string[] {
  const lines: string[] = [];
  const title = [embed.author?.name, embed.title].filter(Boolean).join(' — ');
  if (title) lines.push(embed.url ? `${title} (${embed.url})` : title);
  if (embed.description) lines.push(...embed.description.split('\n').filter(Boolean));
  if (embed.fields?.length)
    lines.push(embed.fields.map((f) => `${f.name}: ${f.value}`).join(' · '));
  if (embed.footer?.text) lines.push(embed.footer.text);
  return lines.map(utc);
}

export const discordPreview: PreviewRenderer = {
  root: (event) => {
    const digest = digestOf(event);
    if (digest) return embedLines(renderDigestEmbed(digest));
    return [`thread "${threadName(event)}"`, ...embedLines(renderRoot(event))];
  },
  reply: (event) => embedLines(renderThreadReply(event)),
  // The title and the description, which says "Resolved after …" once it is over.
  edit: (event) => (editsRoot(event) ? embedLines(renderRoot(event)).slice(0, 2) : undefined),
};
