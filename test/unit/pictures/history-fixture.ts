import type { Impact } from '../../../src/incidents/model.js';
import type { HistoryIncident } from '../../../src/store/history.js';

/** "Now" of the fixed history: the 90-day window starts at 2026-09-06T00:00Z. */
export const NOW = Date.parse('2026-12-04T12:00:00Z');

export function past(
  id: string,
  impact: Impact,
  startedAt: string,
  resolvedAt?: string,
): HistoryIncident {
  return {
    id,
    title: `Incident ${id}`,
    impact,
    origin: 'status_page',
    components: [],
    startedAt,
    ...(resolvedAt ? { resolvedAt } : {}),
    updates: [],
  };
}

/**
 * Two overlapping incidents on 1 Dec (4h of trouble together), one that began the evening
 * before the window (2h of it inside), one open since an hour ago, and one from before the
 * window that no figure may count.
 */
export const HISTORY: HistoryIncident[] = [
  past('old', 'critical', '2026-09-01T08:00:00Z', '2026-09-01T09:00:00Z'),
  past('edge', 'critical', '2026-09-05T22:00:00Z', '2026-09-06T02:00:00Z'),
  past('a', 'major', '2026-12-01T10:00:00Z', '2026-12-01T12:00:00Z'),
  past('b', 'minor', '2026-12-01T11:00:00Z', '2026-12-01T14:00:00Z'),
  past('open', 'none', '2026-12-04T11:00:00Z'),
];
