import { formatDuration } from '../incidents/format.js';
import { IMPACTS, type Impact } from '../incidents/model.js';
import type { HistoryIncident } from '../store/history.js';
import { endMsOf, startMsOf } from '../store/history.js';

/** What `/outage history` says of a window, in figures (the picture shows them as well). */
export interface HistoryFigures {
  /** Incidents open at some time in the window, by their peak impact. */
  byImpact: Record<Impact, number>;
  total: number;
  /** Of `total`, how many are still open. */
  open: number;
  /**
   * Time inside the window with at least one incident open. Overlapping incidents count once:
   * two incidents at the same hour are one hour of trouble, not two.
   */
  downtimeMs: number;
  /**
   * Mean time from start to resolution of the incidents resolved inside the window (their whole
   * length, also before the window began); undefined when none resolved.
   */
  mttrMs?: number;
}

/** Pure: the figures of `incidents` over [windowStartMs, nowMs]. */
export function historyFigures(
  incidents: readonly HistoryIncident[],
  windowStartMs: number,
  nowMs: number,
): HistoryFigures {
  const inWindow = incidents.filter(
    (i) => startMsOf(i) <= nowMs && (endMsOf(i) ?? nowMs) >= windowStartMs,
  );
  const byImpact = Object.fromEntries(IMPACTS.map((impact) => [impact, 0])) as Record<
    Impact,
    number
  >;
  for (const incident of inWindow) byImpact[incident.impact] += 1;
  const resolved = inWindow.flatMap((i) => {
    const end = endMsOf(i);
    return end === undefined ? [] : [end - startMsOf(i)];
  });
  const figures: HistoryFigures = {
    byImpact,
    total: inWindow.length,
    open: inWindow.filter((i) => endMsOf(i) === undefined).length,
    downtimeMs: unionMs(
      inWindow.map((i) => [
        Math.max(startMsOf(i), windowStartMs),
        Math.min(endMsOf(i) ?? nowMs, nowMs),
      ]),
    ),
  };
  if (resolved.length > 0) {
    figures.mttrMs = resolved.reduce((sum, ms) => sum + ms, 0) / resolved.length;
  }
  return figures;
}

/** The length of the union of [start, end] intervals. */
function unionMs(intervals: Array<[number, number]>): number {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | undefined;
  for (const [start, end] of sorted) {
    if (current && start <= current[1]) {
      current[1] = Math.max(current[1], end);
      continue;
    }
    if (current) total += current[1] - current[0];
    current = [start, end];
  }
  return current ? total + current[1] - current[0] : total;
}

const IMPACT_WORDS: Record<Impact, string> = {
  critical: 'critical',
  major: 'major',
  minor: 'minor',
  none: 'no impact stated',
};

/** The figures as the lines both the reply text and the picture show, worst impact first. */
export function figureLines(figures: HistoryFigures): string[] {
  if (figures.total === 0) return ['Incidents: none', 'Total downtime: 0s'];
  const parts = [...IMPACTS]
    .reverse()
    .filter((impact) => figures.byImpact[impact] > 0)
    .map((impact) => `${figures.byImpact[impact]} ${IMPACT_WORDS[impact]}`);
  const open = figures.open > 0 ? `, ${figures.open} still open` : '';
  return [
    `Incidents: ${figures.total} (${parts.join(', ')})${open}`,
    `Total downtime: ${formatDuration(figures.downtimeMs)}`,
    `Mean time to resolve: ${figures.mttrMs === undefined ? 'none resolved yet' : formatDuration(figures.mttrMs)}`,
  ];
}
