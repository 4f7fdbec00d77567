import type { Parsed } from './values.js';

const MINUTE = 60_000;
const UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^(?:w|wk|wks|weeks?)$/, 7 * 1440 * MINUTE],
  [/^(?:d|days?)$/, 1440 * MINUTE],
  [/^(?:h|hr|hrs|hours?)$/, 60 * MINUTE],
  [/^(?:m|min|mins|minutes?)$/, MINUTE],
];

/** A mute longer than this is almost certainly a typo (or should be an unsubscribe). */
export const MAX_MUTE_MS = 30 * 1440 * MINUTE;

const HINT = 'give a duration like 30m, 2h, 1d or 1h30m';

/** "30m", "2h", "1d", "1h30m", "1h 30m", "90 minutes" -> milliseconds, between 1m and 30d. */
export function parseDuration(text: string): Parsed<number> {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  if (compact === '') return { ok: false, reason: HINT };
  const parts = compact.match(/\d+[a-z]*/g);
  if (!parts || parts.join('') !== compact) {
    return { ok: false, reason: `"${text.trim().slice(0, 30)}" is not a duration: ${HINT}` };
  }
  let total = 0;
  for (const part of parts) {
    const [, digits = '', unit = ''] = /^(\d+)([a-z]*)$/.exec(part) ?? [];
    const size = UNITS.find(([re]) => re.test(unit))?.[1];
    if (size === undefined) {
      const why = unit === '' ? `"${digits}" has no unit` : `"${unit}" is not a unit`;
      return { ok: false, reason: `${why}: ${HINT}` };
    }
    total += Number(digits) * size;
  }
  if (total < MINUTE)
    return { ok: false, reason: `the duration must be at least 1 minute: ${HINT}` };
  if (total > MAX_MUTE_MS) {
    return { ok: false, reason: 'a mute lasts at most 30 days; use unsubscribe to stop for good' };
  }
  return { ok: true, value: total };
}
