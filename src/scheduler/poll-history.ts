import type { Logger } from 'pino';
import type {
  EventSubject,
  IncidentEvent,
  IncidentUpdate,
  PollResult,
  Snapshot,
} from '../incidents/model.js';
import type { ServiceState } from '../incidents/state.js';
import {
  boundedIncident,
  type HistoryIncident,
  type HistoryStore,
  historyIncidentOf,
} from '../store/history.js';

/**
 * What one poll adds to the service's incident history: every incident the page lists (its
 * history too, so the board's bars fill from the first poll), every incident the reconciler made
 * of components, probes or reports, and the updates this poll's events announce. The state's
 * subject wins over the feed's row: it holds the peak impact and a resolution time for incidents
 * closed as no longer listed. Maintenances are not incidents and stay out.
 */
export function historyOfPoll(
  snapshot: Snapshot | undefined,
  state: ServiceState,
  events: readonly IncidentEvent[],
): HistoryIncident[] {
  const found = new Map<string, HistoryIncident>();
  const add = (subject: EventSubject, updates: readonly IncidentUpdate[], closedAt?: string) => {
    if (subject.kind !== 'incident') return;
    const known = found.get(subject.id);
    const entry = historyIncidentOf(subject, [...(known?.updates ?? []), ...updates], closedAt);
    found.set(subject.id, entry);
  };
  for (const incident of snapshot?.incidents ?? []) {
    const tracked = state.subjects[incident.id];
    add(tracked?.subject ?? { ...incident, kind: 'incident' }, incident.updates, tracked?.closedAt);
  }
  for (const tracked of Object.values(state.subjects)) {
    add(tracked.subject, tracked.lastUpdate ? [tracked.lastUpdate] : [], tracked.closedAt);
  }
  for (const event of events) {
    if (state.subjects[event.subject.id]) {
      if (event.update) found.get(event.subject.id)?.updates.push(event.update);
    } else {
      add(event.subject, event.update ? [event.update] : []);
    }
  }
  // The same update often comes from the feed, the state and an event: bounded keeps it once.
  return [...found.values()].map(boundedIncident);
}

export interface CommittedPoll {
  serviceId: string;
  result: PollResult;
  /** The state the poll committed and this feed's own events (not the service's merged ones). */
  state: ServiceState;
  events: readonly IncidentEvent[];
  /** The feed's first poll: the page's listed incidents (its history) are recorded once. */
  baseline: boolean;
  at: Date;
}

/**
 * Called after the commit, so that a poll that lost its lease records nothing. A failed write only
 * costs the board this poll's news (logged).
 */
export async function recordPollHistory(
  history: HistoryStore,
  log: Logger,
  poll: CommittedPoll,
): Promise<void> {
  const { result } = poll;
  const snapshot = result.ok && !result.notModified ? result.snapshot : undefined;
  // An unchanged page changes no history: after the baseline only events add to it, so a quiet
  // poll costs the store no writes beyond its commit.
  if (poll.events.length === 0 && !(poll.baseline && snapshot)) return;
  const incidents = historyOfPoll(snapshot, poll.state, poll.events);
  if (incidents.length === 0) return;
  await history
    .record(poll.serviceId, incidents, poll.at.getTime())
    .catch((err: unknown) => log.warn({ err }, 'incident history not recorded this poll'));
}
