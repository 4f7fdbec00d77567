import { knownSince } from '../board/board-data.js';
import { barsStartMs, type Day, type DayLevel, dayBars } from '../board/day-bars.js';
import type { Service } from '../incidents/model.js';
import { readServiceStates } from '../sources/service-states.js';
import type { Store } from '../store/store.js';
import { figureLines, type HistoryFigures, historyFigures } from './history-figures.js';
import { historySvg } from './history-svg.js';
import { type PngFonts, renderPng } from './render-png.js';

/** One service's last `days` days, as `/outage history` shows them. */
export interface HistoryReport {
  days: Day[];
  figures: HistoryFigures;
  /** figureLines of the figures. */
  lines: string[];
  /** False when the bot has never polled the service nor recorded an incident of it. */
  known: boolean;
}

/**
 * Reads the history from the store and computes the bars the way the status board does (the
 * same days, levels and "no data" before the first poll), and the figures of the same window.
 */
export async function readHistoryReport(
  store: Store,
  service: Service,
  nowMs: number,
  dayCount: number,
): Promise<HistoryReport> {
  const startMs = barsStartMs(nowMs, dayCount);
  const [{ feeds }, incidents] = await Promise.all([
    readServiceStates(store, service),
    store.history.list(service.id, startMs),
  ]);
  const since = knownSince(feeds, incidents);
  const figures = historyFigures(incidents, startMs, nowMs);
  return {
    days: dayBars(incidents, nowMs, since, dayCount),
    figures,
    lines: figureLines(figures),
    known: since !== undefined,
  };
}

const ALT_WORDS: Record<DayLevel, string> = {
  critical: 'critical impact',
  major: 'major impact',
  minor: 'minor impact',
  none: 'incidents with no impact stated',
  ok: 'no incidents',
  nodata: 'no data',
};

/** The picture's words for people who cannot see it: how many days had which level. */
export function historyAltText(serviceName: string, report: HistoryReport): string {
  const counts = new Map<DayLevel, number>();
  for (const day of report.days) counts.set(day.level, (counts.get(day.level) ?? 0) + 1);
  const order: DayLevel[] = ['critical', 'major', 'minor', 'none', 'ok', 'nodata'];
  const parts = order.flatMap((level) => {
    const n = counts.get(level);
    return n ? [`${ALT_WORDS[level]} on ${n} ${n === 1 ? 'day' : 'days'}`] : [];
  });
  return `Bar chart of ${serviceName}'s incidents over the last ${report.days.length} days, one bar per day: ${parts.join('; ')}.`;
}

/** The report as a PNG picture. */
export function historyPng(
  serviceName: string,
  report: HistoryReport,
  fonts?: PngFonts,
): Uint8Array {
  return renderPng(historySvg({ serviceName, days: report.days, figures: report.lines }), fonts);
}
