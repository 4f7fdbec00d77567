import type { MentionKind } from '../../src/incidents/subscription.js';

/**
 * Untrusted text (status pages, users) on its way into a Slack message. Nothing in it may ping
 * anyone or become markup, and nothing in it is removed: sources already turned HTML into plain
 * text (src/sources/plain-text.ts), so a `<api>` left now is literal text. `& < >` are escaped (so `<!channel>`, `<@U123>`,
 * `<#C1>`, `<!subteam^S1>` and `<url|label>` arrive as literal text), bare `@here`, `@channel` and
 * `@everyone` get an invisible word joiner after the `@`, and text is cut to Slack's limits.
 * Mentions come only from `mentionFor`, i.e. from what a subscription asked for.
 */

export const LIMITS = {
  /** Top-level `text` of a message. */
  text: 40_000,
  section: 3_000,
  field: 2_000,
  header: 150,
  context: 3_000,
} as const;

/** U+2060 WORD JOINER: invisible, and breaks Slack's mention and link parsing. */
const JOINER = '\u2060';

/** `@here` -> `@\u2060here`, so an unescaped broadcast word can never notify a channel. */
export function neutralizeBroadcasts(text: string): string {
  return text.replace(/@(here|channel|everyone)\b/gi, `@${JOINER}$1`);
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to at most `max` UTF-16 units, never inside a surrogate pair or an `&entity;`. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const amp = text.lastIndexOf('&', end);
  if (amp >= 0 && amp > end - 6 && !text.slice(amp, end).includes(';')) end = amp;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Untrusted status-page text for a `mrkdwn` field or a message's top-level `text`. */
export function mrkdwn(text: string, max: number = LIMITS.section): string {
  return literal(text, max);
}

/**
 * Untrusted plain text (status pages, command replies that show `<service>` in a usage line or
 * quote what a user typed): escaped and neutralized, nothing removed.
 */
export function literal(text: string, max: number = LIMITS.section): string {
  return cut(escapeMrkdwn(neutralizeBroadcasts(text)).trim(), max);
}

/**
 * Untrusted text for a `plain_text` field (headers). Slack parses no markup there, but a `<!` or
 * `<@` still gets a joiner so no copy of the text can turn into a mention elsewhere.
 */
export function plainText(text: string, max: number = LIMITS.header): string {
  const flat = neutralizeBroadcasts(text).replace(/<([!@#])/g, `<${JOINER}$1`);
  return cut(flat.replace(/\s+/g, ' ').trim(), max);
}

/**
 * A link to a status page, or undefined when the URL is not plain http(s). `|` and `>` would end
 * Slack's `<url|label>` early, so they are percent-encoded; `&` and `<` are escaped.
 */
export function linkTo(url: string | undefined, label: string): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const href = parsed
    .toString()
    .replace(/\|/g, '%7C')
    .replace(/>/g, '%3E')
    .replace(/</g, '%3C')
    .replace(/&/g, '&amp;');
  return `<${href}|${mrkdwn(label, 200).replace(/\|/g, '¦')}>`;
}

const SLACK_ID = /^[A-Z0-9]{2,40}$/;

/** The only way a mention enters a message: what the subscription asked for, ids validated. */
export function mentionFor(kind: MentionKind): string {
  if (kind === 'none') return '';
  if (kind === 'here') return '<!here>';
  if (kind === 'channel') return '<!channel>';
  if ('user' in kind) return SLACK_ID.test(kind.user) ? `<@${kind.user}>` : '';
  return SLACK_ID.test(kind.role) ? `<!subteam^${kind.role}>` : '';
}
