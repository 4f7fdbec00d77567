import { IMPACTS, type Impact } from '../src/incidents/model.js';
import type { MentionKind } from '../src/incidents/subscription.js';

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

/**
 * Who a subscription pings. Accepts what each platform sends: `@here`/`@channel` (or Slack's
 * `<!here>`, `<!channel>`), a Slack user `<@U123>` or user group `<!subteam^S123>`, a Discord
 * role `<@&123>` or user `<@123>`, and `none`.
 */
export function parseMention(text: string): Parsed<MentionKind> {
  const raw = text.trim();
  const word = raw.toLowerCase();
  if (word === '' || word === 'none') return { ok: true, value: 'none' };
  if (['@here', 'here', '<!here>'].includes(word) || word.startsWith('<!here|')) {
    return { ok: true, value: 'here' };
  }
  if (['@channel', 'channel', '<!channel>'].includes(word) || word.startsWith('<!channel|')) {
    return { ok: true, value: 'channel' };
  }
  if (word === '@everyone' || word.startsWith('<!everyone')) {
    return { ok: false, reason: 'the bot does not ping @everyone; use @here or @channel' };
  }
  const slackGroup = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(raw);
  if (slackGroup) return { ok: true, value: { role: slackGroup[1] as string } };
  const discordRole = /^<@&(\d+)>$/.exec(raw);
  if (discordRole) return { ok: true, value: { role: discordRole[1] as string } };
  const user = /^<@!?([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(raw);
  if (user) return { ok: true, value: { user: user[1] as string } };
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

/** The canonical text form of a mention, which parseMention reads back to the same value. */
export function formatMention(mention: MentionKind): string {
  if (mention === 'none') return 'none';
  if (mention === 'here') return '@here';
  if (mention === 'channel') return '@channel';
  if ('role' in mention) {
    return /^\d+$/.test(mention.role) ? `<@&${mention.role}>` : `<!subteam^${mention.role}>`;
  }
  return `<@${mention.user}>`;
}
