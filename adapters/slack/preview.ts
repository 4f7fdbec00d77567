import { digestOf } from '../../src/digest/digest-model.js';
import { closesThread, reopensThread } from '../../src/incidents/thread-rules.js';
import type { PreviewRenderer } from '../console/preview-adapter.js';
import { renderDigest } from './render-digest.js';
import {
  type Block,
  renderClosedRoot,
  renderReply,
  renderRoot,
  type SlackMessage,
} from './render-incident.js';

/**
 * Slack's messages as the Slack adapter renders them (render-incident.ts), flattened to text for
 * a terminal: one line per block, fields as `Label: value`, date tokens as their UTC fallback,
 * links as `label (url)`. The edits are the ones SlackDeliverer makes.
 */

const asTerminalText = (text: string): string =>
  text
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<(https?:[^|>]+)\|([^>]*)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function blockLines(block: Block): string[] {
  if (block.type === 'header') return [block.text.text];
  if (block.type === 'context') {
    return [block.elements.map((e) => ('text' in e ? e.text : '')).join(' · ')];
  }
  if (block.type === 'section') {
    const lines = block.text ? block.text.text.split('\n') : [];
    if (block.fields) lines.push(block.fields.map((f) => f.text.replace('\n', ': ')).join(' · '));
    return lines;
  }
  return [];
}

const lines = (message: SlackMessage): string[] =>
  message.blocks.flatMap(blockLines).map(asTerminalText);

export const slackPreview: PreviewRenderer = {
  root: (event, mention) => {
    const digest = digestOf(event);
    return lines(digest ? renderDigest(digest) : renderRoot(event, mention));
  },
  reply: (event) => lines(renderReply(event)),
  edit: (event) =>
    closesThread(event)
      ? lines(renderClosedRoot(event)).slice(0, 1)
      : reopensThread(event)
        ? lines(renderRoot(event, 'none')).slice(0, 1)
        : undefined,
};
