import type { EventSubject, IncidentEvent, IncidentUpdate, Snapshot } from '../incidents/model.js';
import type { ServiceState } from '../incidents/state.js';
import { boundedIncident, type HistoryIncident, historyIncidentOf } from '../store/history.js';

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
