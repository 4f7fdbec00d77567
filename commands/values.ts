import { IMPACTS, type Impact } from '../src/incidents/model.js';
import type { MentionKind } from '../src/incidents/subscription.js';
import type { CommandContext } from './command.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseImpact(text: string): Parsed<Impact> {
  const word = text.trim().toLowerCase();
  if ((IMPACTS as readonly string[]).includes(word)) return { ok: true, value: word as Impact };
  return {
    ok: false,
    reason: `the minimum impact must be one of ${IMPACTS.join(', ')} (got "${text.trim().slice(0, 30)}")`,
  };
}

const OPEN_QUOTES = new Set(['"', '“', '”', '„']);
const CLOSE_QUOTES = new Set(['"', '”', '“']);

/**
 * `"Git Operations",API` -> ["Git Operations", "API"]. Commas separate names; double quotes
 * (straight or the curly ones chat clients substitute) keep a comma inside a name.
 */
export function parseComponentList(text: string): string[] {
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (!quoted && OPEN_QUOTES.has(ch)) quoted = true;
    else if (quoted && CLOSE_QUOTES.has(ch)) quoted = false;
    else if (!quoted && ch === ',') {
      names.push(current);
      current = '';
    } else current += ch;
  }
  names.push(current);
  const seen = new Set<string>();
  return names
    .map((n) => n.replace(/\s+/g, ' ').trim())
    .filter((n) => {
      const key = n.toLowerCase();
      if (n.length === 0 || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The inverse of parseComponentList: quotes only the names that hold a comma. */
export function formatComponentList(names: readonly string[]): string {
  return names.map((n) => (n.includes(',') ? `"${n.replaceAll('"', '')}"` : n)).join(',');
}

/** What a platform's mention markup may stand for; `everyone` is read only to be refused. */
export type MarkupMention = MentionKind | 'everyone';

/**
 * One chat platform's mention markup, declared by its registry entry: what its clients send for
 * a mention, and how to write a role or user mention back so that `parse` reads it again.
 */
export interface MentionSyntax {
  /** The mention `text` stands for, or undefined when it is not this platform's markup. */
  parse(text: string): MarkupMention | undefined;
  format(mention: { role: string } | { user: string }): string;
}

/** The mention markup of the platform `ctx` came from; runCommand refuses unregistered ones. */
export function mentionSyntaxFor(ctx: CommandContext): MentionSyntax {
  const syntax = ctx.services.mentionSyntaxes.get(ctx.channel.platform);
  if (!syntax) throw new Error(`no chat platform "${ctx.channel.platform}" is registered`);
  return syntax;
}

/**
 * Who a subscription pings: `none`, `@here`/`@channel` (the words every platform shares), or
 * the markup of the channel's own platform (`syntax`), such as a user or group it sends by id.
 */
export function parseMention(text: string, syntax: MentionSyntax): Parsed<MentionKind> {
  const raw = text.trim();
  const word = raw.toLowerCase();
  if (word === '' || word === 'none') return { ok: true, value: 'none' };
  const shared = SHARED_WORDS.get(word) ?? syntax.parse(raw);
  if (shared === 'everyone') {
    return { ok: false, reason: 'the bot does not ping @everyone; use @here or @channel' };
  }
  if (shared !== undefined) return { ok: true, value: shared };
  if (raw.startsWith('@')) {
    return {
      ok: false,
      reason: `I can't tell who "${raw.slice(0, 40)}" is: pick the person or group from the mention menu so the platform sends its id, or use @here or @channel`,
    };
  }
  return {
    ok: false,
    reason: `"${raw.slice(0, 40)}" is not a mention: use @here, @channel, a user or a group`,
  };
}

const SHARED_WORDS = new Map<string, MarkupMention>([
  ['@here', 'here'],
  ['here', 'here'],
  ['@channel', 'channel'],
  ['channel', 'channel'],
  ['@everyone', 'everyone'],
]);

/** The canonical text form of a mention, which parseMention reads back to the same value. */
export function formatMention(mention: MentionKind, syntax: MentionSyntax): string {
  if (mention === 'none') return 'none';
  if (mention === 'here') return '@here';
  if (mention === 'channel') return '@channel';
  return syntax.format(mention);
}
