import type { Weekday } from './digest-model.js';

/**
 * Wall-clock time in an IANA zone, by Intl alone (no tz database of our own), so a digest set for
 * "Monday 09:00 Europe/Berlin" follows Berlin's clock through daylight saving changes.
 */

/** A local calendar date and hour, as a zone's clock shows them. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: Weekday;
}

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

const WEEKDAYS: Record<string, Weekday> = {
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
  Sun: 7,
};

/** True when Intl knows `timeZone` (an IANA name such as Europe/Berlin, or UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling (`europe/berlin` -> `Europe/Berlin`). */
export const canonicalTimeZone = (timeZone: string): string =>
  formatterFor(timeZone).resolvedOptions().timeZone;

export function localTimeAt(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 1,
  };
}

/** The local wall time as if it were UTC: comparable across instants of one zone. */
const wallMs = (t: Pick<LocalTime, 'year' | 'month' | 'day' | 'hour' | 'minute'>): number =>
  Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);

/**
 * The first instant at which the zone's clock shows `date` at `hour`:00 or later. An hour the
 * clock skips (02:00 on a spring-forward night) gives the instant the clock jumps past it; an
 * hour it shows twice (autumn) gives the first one.
 */
export function instantOfLocal(
  date: Pick<LocalTime, 'year' | 'month' | 'day'>,
  hour: number,
  timeZone: string,
): number {
  const wall = wallMs({ ...date, hour, minute: 0 });
  // The zone's offset on either side of any change near that time (offsets differ by < 1 day).
  const offsets = [wall - DAY_MS, wall + DAY_MS].map(
    (at) => wallMs(localTimeAt(at, timeZone)) - at,
  );
  const candidates = offsets
    .map((offset) => wall - offset)
    .filter((at) => wallMs(localTimeAt(at, timeZone)) >= wall)
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - Math.min(...offsets);
}

/** The date `days` after `date` on the calendar (no zone involved). */
export function addDays(
  date: Pick<LocalTime, 'year' | 'month' | 'day'>,
  days: number,
): Pick<LocalTime, 'year' | 'month' | 'day'> {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `2026-03-08`. */
export const dateKey = (date: Pick<LocalTime, 'year' | 'month' | 'day'>): string =>
  `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

/**
 * The latest weekly slot (`day` at `hour`:00 in `timeZone`) at or before `nowMs`: when it began
 * and its local date. DST-proof: each week's slot is found on the zone's calendar, then turned
 * into an instant.
 */
export function latestSlot(
  nowMs: number,
  day: Weekday,
  hour: number,
  timeZone: string,
): { atMs: number; date: string } {
  const today = localTimeAt(nowMs, timeZone);
  let date = addDays(today, -((today.weekday - day + 7) % 7));
  let atMs = instantOfLocal(date, hour, timeZone);
  if (atMs > nowMs) {
    date = addDays(date, -7);
    atMs = instantOfLocal(date, hour, timeZone);
  }
  return { atMs, date: dateKey(date) };
}

/** The first weekly slot at or after `nowMs` (the one a channel opting in now gets first). */
export function nextSlotAfter(
  nowMs: number,
  day: Weekday,
  hour: number,
  timeZone: string,
): { atMs: number; date: string } {
  const latest = latestSlot(nowMs, day, hour, timeZone);
  if (latest.atMs === nowMs) return latest;
  const [year, month, date] = latest.date.split('-').map(Number) as [number, number, number];
  const next = addDays({ year, month, day: date }, 7);
  return { atMs: instantOfLocal(next, hour, timeZone), date: dateKey(next) };
}
