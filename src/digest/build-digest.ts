import { impactRank } from '../incidents/model.js';
import type { ChannelRef } from '../incidents/subscription.js';
import { endMsOf, type HistoryIncident, startMsOf } from '../store/history.js';
import type { Store } from '../store/store.js';
import type { ChannelDigest, DigestIncident, DigestServiceWeek } from './digest-model.js';

const WEEK_MS = 7 * 24 * 60 * 60_000;

/** An incident's time open within [fromMs, toMs]; an open one counts up to toMs. */
function clip(incident: HistoryIncident, fromMs: number, toMs: number): [number, number] {
  const end = endMsOf(incident) ?? toMs;
  return [Math.max(startMsOf(incident), fromMs), Math.min(end, toMs)];
}

/** Total length of the union of `spans`: overlapping incidents are one downtime, not two. */
function unionMs(spans: [number, number][]): number {
  let total = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(from, reach);
    if (to > start) total += to - start;
    reach = Math.max(reach, to);
  }
  return total;
}

function digestIncident(incident: HistoryIncident, [from, to]: [number, number]): DigestIncident {
  return {
    title: incident.title,
    durationMs: to - from,
    startedAt: incident.startedAt,
    ...(incident.url ? { url: incident.url } : {}),
  };
}

/**
 * One service's week from its history: the incidents open at some time in [fromMs, toMs)
 * (undefined when there were none), the downtime they add up to, the longest and those still
 * open at `toMs`. Pure: the scheduler reads the history and passes it in.
 */
export function summarizeServiceWeek(
  service: { id: string; name: string },
  history: readonly HistoryIncident[],
  fromMs: number,
  toMs: number,
): DigestServiceWeek | undefined {
  const within = history.filter(
    (i) => startMsOf(i) < toMs && (endMsOf(i) ?? Number.POSITIVE_INFINITY) > fromMs,
  );
  const spans = within.map((i) => clip(i, fromMs, toMs));
  const [first, ...rest] = within.map((incident, n) => ({ incident, span: spans[n] ?? [0, 0] }));
  if (!first) return undefined;
  const longest = rest.reduce(
    (best, next) => (next.span[1] - next.span[0] > best.span[1] - best.span[0] ? next : best),
    first,
  );
  return {
    serviceId: service.id,
    serviceName: service.name,
    incidents: within.length,
    downtimeMs: unionMs(spans),
    longest: digestIncident(longest.incident, longest.span),
    open: within
      .filter((i) => (endMsOf(i) ?? Number.POSITIVE_INFINITY) > toMs)
      .map((i) => digestIncident(i, clip(i, fromMs, toMs))),
  };
}

/**
 * The channel's digest for the week ending at `endMs`: every service it follows (suspended
 * subscriptions left out), each counting the incidents at or above the subscription's minimum
 * impact, as the channel would have been told of them.
 */
export async function buildChannelDigest(
  store: Store,
  nameOf: (serviceId: string) => string,
  channel: ChannelRef,
  endMs: number,
  timeZone: string,
): Promise<ChannelDigest> {
  const fromMs = endMs - WEEK_MS;
  const subs = (await store.listSubscriptionsForChannel(channel)).filter((s) => !s.suspended);
  const services: DigestServiceWeek[] = [];
  const quiet: string[] = [];
  for (const sub of subs) {
    const name = nameOf(sub.serviceId);
    const history = (await store.history.list(sub.serviceId, fromMs)).filter(
      (i) => impactRank(i.impact) >= impactRank(sub.filters.minImpact),
    );
    const week = summarizeServiceWeek({ id: sub.serviceId, name }, history, fromMs, endMs);
    if (week) services.push(week);
    else quiet.push(name);
  }
  services.sort(
    (a, b) => b.downtimeMs - a.downtimeMs || a.serviceName.localeCompare(b.serviceName),
  );
  return {
    periodStart: new Date(fromMs).toISOString(),
    periodEnd: new Date(endMs).toISOString(),
    timeZone,
    services,
    quiet: quiet.sort((a, b) => a.localeCompare(b)),
  };
}
