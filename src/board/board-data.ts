import { impactRank, type Service } from '../incidents/model.js';
import type { ServiceState, TrackedSubject } from '../incidents/state.js';
import type { Catalog } from '../sources/catalog.js';
import { type FeedState, readServiceStates } from '../sources/service-states.js';
import { type HistoryIncident, historyIncidentOf } from '../store/history.js';
import type { Store } from '../store/store.js';
import { barsStartMs, type Day, dayBars } from './day-bars.js';

/**
 * What the board shows of one service: only what its status pages and probes said, as the store
 * holds it. Nothing about channels, workspaces or people is read.
 */
export interface ServiceBoard {
  id: string;
  name: string;
  pageUrl?: string;
  /** The headline: worst open incident, else degraded components, else how the sources are. */
  state: ServiceHeadline;
  /** Open incidents, worst first, each with its updates (oldest first). */
  open: OpenIncident[];
  sources: SourceStatus[];
  days: Day[];
  /** The service's incidents of the bars' window, newest first (the service page lists them). */
  recent: HistoryIncident[];
}

export interface ServiceHeadline {
  level: 'ok' | 'minor' | 'major' | 'critical' | 'none' | 'degraded' | 'maintenance' | 'unknown';
  text: string;
}

export interface OpenIncident {
  incident: HistoryIncident;
  status: string;
}

export interface SourceStatus {
  kind: string;
  host: string;
  health: 'healthy' | 'unreachable' | 'failing' | 'not_polled';
  /** ISO time: since when unreachable or failing, or the last good read. */
  since?: string;
  detail?: string;
}

export interface BoardDeps {
  store: Store;
  catalog: Catalog;
  now: () => Date;
}

/** Every service some channel follows, by name, with the board's view of each. */
export async function readBoard(deps: BoardDeps): Promise<ServiceBoard[]> {
  const ids = await deps.store.listSubscribedServiceIds();
  const services = ids.flatMap((id) => {
    const service = deps.catalog.get(id);
    return service && service.sources.length > 0 ? [service] : [];
  });
  const boards = await Promise.all(services.map((service) => boardOf(deps, service)));
  return boards.sort((a, b) => a.name.localeCompare(b.name));
}

/** One followed service; undefined when no channel follows it or the catalog does not know it. */
export async function readServiceBoard(
  deps: BoardDeps,
  id: string,
): Promise<ServiceBoard | undefined> {
  const service = deps.catalog.get(id);
  if (!service || service.sources.length === 0) return undefined;
  if (!(await deps.store.listSubscribedServiceIds()).includes(id)) return undefined;
  return boardOf(deps, service);
}

async function boardOf(deps: BoardDeps, service: Service): Promise<ServiceBoard> {
  const { id } = service;
  const nowMs = deps.now().getTime();
  const [{ merged, feeds }, history] = await Promise.all([
    readServiceStates(deps.store, service),
    deps.store.history.list(id, barsStartMs(nowMs)),
  ]);
  const open = openIncidents(merged, history);
  const sources = feeds.map(sourceStatus);
  const board: ServiceBoard = {
    id: service.id,
    name: service.name,
    state: headline(merged, open, sources),
    open,
    sources,
    days: dayBars(history, nowMs, knownSince(feeds, history)),
    recent: [...history].reverse(),
  };
  if (service.pageUrl) board.pageUrl = service.pageUrl;
  return board;
}

const isOpen = (t: TrackedSubject) =>
  t.closedAt === undefined && t.subject.status !== 'resolved' && t.subject.status !== 'completed';

/** The state says what is open now; the history holds each incident's updates. */
function openIncidents(
  state: ServiceState | undefined,
  history: readonly HistoryIncident[],
): OpenIncident[] {
  const recorded = new Map(history.map((i) => [i.id, i]));
  return Object.values(state?.subjects ?? {})
    .filter((t) => t.subject.kind === 'incident' && isOpen(t))
    .map((t) => {
      const { subject } = t;
      const incident =
        recorded.get(subject.id) ?? historyIncidentOf(subject, t.lastUpdate ? [t.lastUpdate] : []);
      return { incident: { ...incident, impact: subject.impact }, status: subject.status };
    })
    .sort(
      (a, b) =>
        impactRank(b.incident.impact) - impactRank(a.incident.impact) ||
        a.incident.startedAt.localeCompare(b.incident.startedAt),
    );
}

function headline(
  state: ServiceState | undefined,
  open: readonly OpenIncident[],
  sources: readonly SourceStatus[],
): ServiceHeadline {
  const worst = open[0]?.incident.impact;
  if (worst === 'critical') return { level: 'critical', text: 'Critical outage' };
  if (worst === 'major') return { level: 'major', text: 'Major outage' };
  if (worst === 'minor') return { level: 'minor', text: 'Minor incident' };
  if (worst === 'none') return { level: 'none', text: 'Incident open' };
  const components = Object.values(state?.components ?? {});
  const degraded = components.filter(
    (c) => c.status !== 'operational' && c.status !== 'under_maintenance',
  );
  if (degraded.length > 0) {
    return { level: 'degraded', text: `Degraded: ${degraded.map((c) => c.name).join(', ')}` };
  }
  if (components.some((c) => c.status === 'under_maintenance')) {
    return { level: 'maintenance', text: 'Under maintenance' };
  }
  if (sources.every((s) => s.health === 'not_polled')) {
    return { level: 'unknown', text: 'Not polled yet' };
  }
  // An unreachable page is never "all clear": the reader is told the picture may be stale.
  if (sources.some((s) => s.health === 'unreachable' || s.health === 'failing')) {
    return { level: 'unknown', text: 'Unknown: a source cannot be read' };
  }
  return { level: 'ok', text: 'Operational' };
}

function sourceStatus({ feed, state }: FeedState): SourceStatus {
  const kind = feed.config.kind;
  const host = hostOf(feed.config.url);
  if (!state) return { kind, host, health: 'not_polled' };
  const probe = state.probe;
  if (probe && probe.failures > 0) {
    const failing: SourceStatus = { kind, host, health: 'failing' };
    const since = probe.failingSince ?? state.lastPollAt;
    if (since) failing.since = since;
    if (probe.lastDetail) failing.detail = probe.lastDetail;
    return failing;
  }
  const h = state.health;
  if (h.consecutiveFailures > 0) {
    const down: SourceStatus = { kind, host, health: 'unreachable' };
    if (h.lastOkAt) down.since = h.lastOkAt;
    return down;
  }
  return h.lastOkAt
    ? { kind, host, health: 'healthy', since: h.lastOkAt }
    : { kind, host, health: 'healthy' };
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** From the first baseline of any source, or the oldest incident the page itself listed. */
export function knownSince(feeds: readonly FeedState[], history: readonly HistoryIncident[]) {
  const times = [
    ...feeds.flatMap((f) => (f.state?.baselineAt ? [Date.parse(f.state.baselineAt)] : [])),
    ...history.map((i) => Date.parse(i.startedAt)),
  ];
  return times.length > 0 ? Math.min(...times) : undefined;
}
