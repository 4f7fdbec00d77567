import { type Impact, impactRank } from '../incidents/model.js';
import type { HistoryIncident } from '../store/history.js';
import { endMsOf, startMsOf } from '../store/history.js';

const DAY_MS = 24 * 60 * 60_000;

/** How many days the bars show (the history's retention is at least this long by default). */
export const BAR_DAYS = 90;

/** `none`: incidents with no stated impact; `ok`: no incident; `nodata`: before the bot looked. */
export type DayLevel = Impact | 'ok' | 'nodata';

export interface Day {
  startMs: number;
  level: DayLevel;
  /** The incidents open at some time that day, earliest first. */
  incidents: HistoryIncident[];
}

/** The first UTC midnight of `days` bars ending today. */
export const barsStartMs = (nowMs: number, days = BAR_DAYS): number =>
  Math.floor(nowMs / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;

/**
 * One bar per UTC day, oldest first, coloured by the worst impact of the incidents open that day.
 * Days wholly before `knownSinceMs` (the first poll, or the oldest incident the page listed) are
 * `nodata`: nothing says they were quiet.
 */
export function dayBars(
  incidents: readonly HistoryIncident[],
  nowMs: number,
  knownSinceMs: number | undefined,
  days = BAR_DAYS,
): Day[] {
  const first = barsStartMs(nowMs, days);
  return Array.from({ length: days }, (_, index) => {
    const startMs = first + index * DAY_MS;
    const endMs = startMs + DAY_MS;
    const open = incidents.filter((i) => startMsOf(i) < endMs && (endMsOf(i) ?? nowMs) >= startMs);
    return { startMs, level: levelOf(open, endMs, knownSinceMs), incidents: open };
  });
}

function levelOf(
  open: readonly HistoryIncident[],
  endMs: number,
  knownSinceMs: number | undefined,
): DayLevel {
  if (open.length > 0) {
    return open.reduce<Impact>(
      (worst, i) => (impactRank(i.impact) > impactRank(worst) ? i.impact : worst),
      'none',
    );
  }
  return knownSinceMs === undefined || endMs <= knownSinceMs ? 'nodata' : 'ok';
}

/** What a bar's colour means, in words (its accessible name and the legend). */
export const LEVEL_TEXT: Record<DayLevel, string> = {
  ok: 'no incidents',
  none: 'incident, no impact stated',
  minor: 'minor impact',
  major: 'major impact',
  critical: 'critical impact',
  nodata: 'no data',
};

/** Each level's colour in the light scheme: the board's stylesheet and the history picture. */
export const LEVEL_COLORS: Record<DayLevel, string> = {
  ok: '#2da44e',
  none: '#6e8fd6',
  minor: '#d4a72c',
  major: '#e16f24',
  critical: '#cf222e',
  nodata: '#c8ced6',
};
