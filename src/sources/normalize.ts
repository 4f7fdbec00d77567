import { createHash } from 'node:crypto';

/**
 * Small pieces every source kind needs when mapping a vendor payload to the model (pure).
 * Vendor enums are looked up in tables; an unknown value gives `undefined` so each kind picks
 * its own safe default instead of inventing a state.
 */

/** Any parseable timestamp (offsets, milliseconds) -> ISO UTC; unparseable -> undefined. */
export function toIsoUtc(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export const lookupIn = <T>(table: Record<string, T>, key: unknown): T | undefined =>
  typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;

export const hashText = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 12);

/**
 * The update id for feeds that give updates none: time plus a hash of the text, so the same
 * update read twice (or from two endpoints of one page) gets the same id.
 */
export const derivedUpdateId = (at: string, body: string): string => `${at}:${hashText(body)}`;

/** A vendor-given link, kept only when it is an absolute http(s) URL; no trailing slash. */
export function safeHttpUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** `https://x.com/`, `https://x.com/status/` -> `https://x.com/status` (query and hash dropped). */
export function pageBaseUrl(url: string, apiSuffix?: RegExp): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  const path = parsed.pathname.replace(apiSuffix ?? /$^/, '').replace(/\/+$/, '');
  return `${parsed.origin}${path}`;
}
