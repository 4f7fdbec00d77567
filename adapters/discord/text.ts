/**
 * Untrusted text (status pages, users) on its way into a Discord embed. Embeds never ping, but
 * they do render markdown and mention pills, so everything is shown literally: markdown and `<`
 * are backslash-escaped (so `<@123>`, `<@&123>`, `<#1>`, `<t:…>` and masked links stay text),
 * `@everyone`/`@here` get a zero-width space after the `@`, and the result is cut to the field's
 * limit. Nothing is removed: sources already turned HTML into plain text
 * (src/sources/plain-text.ts), so a `<api>` left now is literal text. Mentions are never built
 * from this text: see mentions.ts.
 */

/** Discord's embed limits (characters). */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  fields: 25,
  total: 6000,
  /** Not an embed limit: thread and forum post names. */
  threadName: 100,
} as const;

const ZWSP = '\u200b';
/** A bare link; markdown-significant characters end it, so none survive unescaped inside. */
const URL_PATTERN = /https?:\/\/[^\s<>"[\]()|`*~]+/g;

function escapeSegment(text: string): string {
  return (
    text
      // Inline markdown, mention/emoji/timestamp syntax and masked links, anywhere.
      .replace(/[\\*_~`|<>[\]()]/g, (c) => `\\${c}`)
      // Block markdown only counts at the start of a line: headings, subtext, lists, quotes.
      .replace(/^([ \t]*)([#+-])/gm, '$1\\$2')
      .replace(/^([ \t]*\d+)\./gm, '$1\\.')
  );
}

/** Escapes markdown outside URLs (escaping inside a URL would break the link). */
export function escapeMarkdown(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += escapeSegment(text.slice(last, match.index)) + match[0];
    last = (match.index ?? 0) + match[0].length;
  }
  return out + escapeSegment(text.slice(last));
}

/** `@everyone` -> `@\u200beveryone`: reads the same, can never notify anyone. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`);
}

/** Cuts to at most `max` characters with an ellipsis, never leaving a dangling `\` or half a pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  let slashes = 0;
  while (end - slashes > 0 && text[end - slashes - 1] === '\\') slashes += 1;
  if (slashes % 2 === 1) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Untrusted text, shown literally, cut to `max`. */
export function safe(text: string, max: number): string {
  return cut(neutralizeMentions(escapeMarkdown(text.trim())), max);
}

/** Untrusted text for places Discord shows without markdown (thread names, author names). */
export function plain(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return cut(neutralizeMentions(oneLine), max) || '…';
}

/** Only http(s) links may become an embed URL or a masked link. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return parsed.toString();
  } catch {
    return undefined;
  }
}
