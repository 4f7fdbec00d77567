/**
 * The board's only way to put text into HTML: every value from a status page, a probe or the
 * store goes through `text` or `attr`, so a title like `<script>` shows as typed.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const text = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export const attr = text;

/** Links a page gives are shown only when they are plain http(s): no `javascript:` or data URLs. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
