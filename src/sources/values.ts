import { createHash } from 'node:crypto';

/** Small value conversions every source format needs; pure. */

/** Any parseable timestamp (offsets, milliseconds, RFC 822) -> ISO UTC; unparseable -> undefined. */
export function toIsoUtc(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Epoch seconds (AWS, as a string or a number), epoch milliseconds, or a date string -> ISO UTC.
 * Numbers below 1e11 are seconds: that is 1973 in milliseconds and year 5138 in seconds.
 */
export function epochOrDateToIso(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const numeric =
    typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(numeric)) return toIsoUtc(String(value));
  const ms = numeric < 1e11 ? numeric * 1000 : numeric;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A short stable hash, for ids of things the feed gives no id (updates, untitled items). */
export const shortHash = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 12);

/** Table lookup that ignores inherited names (`constructor`, `__proto__`). */
export const lookup = <T>(
  table: Record<string, T>,
  key: string | null | undefined,
): T | undefined => (key && Object.hasOwn(table, key) ? table[key] : undefined);
