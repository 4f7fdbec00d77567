import {
  type EventSubject,
  type Impact,
  type IncidentOrigin,
  type IncidentUpdate,
  impactRank,
} from '../incidents/model.js';

/**
 * Incident history, as both stores keep it for the status board's 90-day bars: what status pages
 * and probes said about each incident (no channel, workspace or user data). Times are epoch ms
 * given by the caller, never the database's, so that a simulated clock runs the same code.
 */

/** One incident of one service, as the board shows it. */
export interface HistoryIncident {
  id: string;
  title: string;
  impact: Impact;
  origin: IncidentOrigin;
  components: string[];
  startedAt: string;
  /** Unset while it is open. */
  resolvedAt?: string;
  url?: string;
  /** Oldest first, at most HISTORY_UPDATES_KEPT (the newest). */
  updates: IncidentUpdate[];
}

const DAY_MS = 24 * 60 * 60_000;

/** HISTORY_RETENTION_DAYS's default: the board's bars span 90 days. */
export const DEFAULT_HISTORY_RETENTION_MS = 90 * DAY_MS;

/**
 * The bound on what history costs: per service at most HISTORY_INCIDENTS_KEPT incidents (the
 * latest started), each with at most HISTORY_UPDATES_KEPT updates of at most HISTORY_TEXT_MAX
 * characters and a title of at most HISTORY_TITLE_MAX: about 25 KB an incident at worst, 5 MB a
 * service, while a typical incident (a few short updates) takes about 1 KB.
 */
export const HISTORY_INCIDENTS_KEPT = 200;
export const HISTORY_UPDATES_KEPT = 20;
export const HISTORY_TEXT_MAX = 1_000;
export const HISTORY_TITLE_MAX = 300;
const COMPONENTS_KEPT = 20;

export interface HistoryStore {
  /**
   * Merges what one poll saw into the service's history: an incident known before keeps its
   * updates (new ones are added by id), its peak impact and its components; the rest is replaced.
   * Incidents that ended more than the retention before `nowMs` are forgotten, and past
   * HISTORY_INCIDENTS_KEPT the earliest started go first.
   */
  record(serviceId: string, incidents: readonly HistoryIncident[], nowMs: number): Promise<void>;
  /** The service's incidents open at some time in [sinceMs, now], earliest started first. */
  list(serviceId: string, sinceMs: number): Promise<HistoryIncident[]>;
}

const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** The incident as stored: texts cut and lists bounded, so no feed can grow the store unbounded. */
export function boundedIncident(incident: HistoryIncident): HistoryIncident {
  const updates = [...new Map(incident.updates.map((u) => [u.id, u])).values()]
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-HISTORY_UPDATES_KEPT)
    .map((u) => ({ ...u, body: cut(u.body, HISTORY_TEXT_MAX) }));
  return {
    ...incident,
    title: cut(incident.title, HISTORY_TITLE_MAX),
    components: incident.components.slice(0, COMPONENTS_KEPT),
    updates,
  };
}

/** `seen` (this poll) over `known` (stored): see HistoryStore.record. */
export function mergeIncident(
  known: HistoryIncident | undefined,
  seen: HistoryIncident,
): HistoryIncident {
  if (!known) return boundedIncident(seen);
  const impact = impactRank(known.impact) > impactRank(seen.impact) ? known.impact : seen.impact;
  return boundedIncident({
    ...seen,
    impact,
    components: [...new Set([...known.components, ...seen.components])],
    // ISO times in UTC sort as strings.
    startedAt:
      known.startedAt.localeCompare(seen.startedAt) <= 0 ? known.startedAt : seen.startedAt,
    updates: [...known.updates, ...seen.updates],
  });
}

/** When an incident stops counting for retention: its end, or never while it is open. */
export const endMsOf = (incident: HistoryIncident): number | undefined =>
  incident.resolvedAt === undefined ? undefined : Date.parse(incident.resolvedAt);

export const startMsOf = (incident: HistoryIncident): number => Date.parse(incident.startedAt);

/** Leaves out what ended before the retention: a page's old history is not written to be pruned. */
export const withinRetention = (
  incidents: readonly HistoryIncident[],
  nowMs: number,
  retentionMs: number,
): HistoryIncident[] =>
  incidents.filter((i) => (endMsOf(i) ?? Number.POSITIVE_INFINITY) >= nowMs - retentionMs);

/** A tracked subject as history: closed (at its resolution, else `closedAt`) or still open. */
export function historyIncidentOf(
  subject: EventSubject,
  updates: IncidentUpdate[],
  closedAt?: string,
): HistoryIncident {
  const entry: HistoryIncident = {
    id: subject.id,
    title: subject.title,
    impact: subject.impact,
    origin: subject.origin,
    components: subject.components,
    startedAt: subject.startedAt,
    updates,
  };
  if (subject.status === 'resolved' || closedAt !== undefined) {
    entry.resolvedAt = subject.resolvedAt ?? closedAt ?? subject.startedAt;
  }
  if (subject.url) entry.url = subject.url;
  return entry;
}
