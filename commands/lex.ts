/**
 * Slack slash-command text, split into words. Slack rewrites mentions, channels and links as
 * `<…>` (e.g. `<@U123|bob>`, `<#C1|ops>`, `<!here>`, `<https://x|x>`) and escapes a typed `<`,
 * `>` and `&` as entities; chat clients turn straight quotes into curly ones.
 */
export type Lexeme =
  | { kind: 'word'; text: string; quoted: boolean }
  | { kind: 'comma' }
  /** What was between `<` and `>`. */
  | { kind: 'special'; body: string };

const QUOTE_PAIRS: Record<string, readonly string[]> = {
  '"': ['"', '”', '“'],
  '“': ['”', '"', '“'],
  '”': ['”', '"', '“'],
  '„': ['“', '”', '"'],
};

const decodeEntities = (text: string): string =>
  text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

export function lex(text: string): Lexeme[] {
  const out: Lexeme[] = [];
  let word = '';
  let quoted = false;
  let inWord = false;
  const flush = () => {
    if (inWord) out.push({ kind: 'word', text: decodeEntities(word), quoted });
    word = '';
    quoted = false;
    inWord = false;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const closers = QUOTE_PAIRS[ch];
    if (/\s/.test(ch)) {
      flush();
      i++;
    } else if (ch === ',') {
      flush();
      out.push({ kind: 'comma' });
      i++;
    } else if (closers) {
      let end = i + 1;
      while (end < text.length && !closers.includes(text[end] as string)) end++;
      word += text.slice(i + 1, end);
      quoted = true;
      inWord = true;
      i = end + 1;
    } else if (ch === '<' && text.indexOf('>', i) > i) {
      flush();
      const end = text.indexOf('>', i);
      out.push({ kind: 'special', body: text.slice(i + 1, end) });
      i = end + 1;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  flush();
  return out;
}

/** A link's target, if the special is a link (`<https://x|label>` -> `https://x`). */
export function specialUrl(body: string): string | undefined {
  const target = body.split('|')[0] ?? '';
  return /^https?:\/\//i.test(target) ? target : undefined;
}

export const isMentionSpecial = (body: string): boolean =>
  /^(?:!here|!channel|!everyone|!subteam\^|@)/i.test(body);

/** How a special reads as plain text, for options that take free text. */
export function specialText(body: string): string {
  const url = specialUrl(body);
  if (url) return url;
  const [target = '', label] = body.split('|');
  if (/^!(here|channel|everyone)$/i.test(target)) return `@${target.slice(1).toLowerCase()}`;
  if (target.startsWith('#')) return label ? `#${label}` : target;
  return `<${body}>`;
}

/** Free text after the subcommand, as the user meant it (quotes and link wrappers removed). */
export function joinText(lexemes: readonly Lexeme[]): string {
  return lexemes
    .map((lx) => (lx.kind === 'comma' ? ',' : lx.kind === 'word' ? lx.text : specialText(lx.body)))
    .join(' ')
    .replaceAll(' ,', ',')
    .trim();
}
