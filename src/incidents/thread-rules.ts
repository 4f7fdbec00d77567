import { confidenceOf } from './confidence.js';
import type { EventSubject, IncidentEvent } from './model.js';

/**
 * What an event does to its thread, decided here once; adapters and the router ask rather than
 * work it out from event types themselves.
 */

/** A subject that is over: a resolved incident or a completed maintenance. */
export const isOver = (subject: Pick<EventSubject, 'status'>): boolean =>
  subject.status === 'resolved' || subject.status === 'completed';

/** The event ends the thread: a reply, and the start message edited to its closed form. */
export const closesThread = (event: Pick<IncidentEvent, 'type'>): boolean =>
  event.type === 'resolved' || event.type === 'maintenance_completed';

/** The event brings a closed thread back: a reply, and the start message edited back to open. */
export const reopensThread = (event: Pick<IncidentEvent, 'type'>): boolean =>
  event.type === 'reopened';

/** A new signal made the incident more certain: a reply, and the start message shows how sure. */
export const confirmsThread = (event: Pick<IncidentEvent, 'type'>): boolean =>
  event.type === 'confirmed';

/** The event changes what the start message must say (closed, open again, more certain). */
export const editsRoot = (event: Pick<IncidentEvent, 'type'>): boolean =>
  closesThread(event) || reopensThread(event) || confirmsThread(event);

/**
 * Only a live, confirmed incident may ping (within what the subscription asked for): its start
 * when it starts confirmed (an official incident always does), else the one event that lifted it
 * out of "suspected". Nobody is woken for a lone probe or a handful of reports, an update, a
 * reopening of a thread they already have, or something already over when posted.
 */
export const mayPing = (event: PingFacts, signals: 'all' | 'official' = 'all'): boolean => {
  if (event.combined === true || isOver(event.subject)) return false;
  // An `official` subscription hears of it when the provider's word arrives, and only then.
  if (signals === 'official') {
    const official = confidenceOf(event.subject) === 'provider';
    return official && (event.type === 'started' || event.type === 'confirmed');
  }
  if (event.type === 'confirmed') return event.confirmedNow === true;
  return event.type === 'started' && confidenceOf(event.subject) !== 'suspected';
};

type PingFacts = Pick<IncidentEvent, 'type' | 'combined' | 'subject' | 'confirmedNow'>;

/** Whether some subscription may be pinged by this event: adapters check the router's choice. */
export const mayPingAny = (event: PingFacts): boolean =>
  mayPing(event) || mayPing(event, 'official');
/**
 * A live incident start: the kind of delivery the grouping rule (src/incidents/grouping.ts) places,
 * since only starts open threads that could pile up as a storm of roots.
 */
export const mayGroup = (
  event: Pick<IncidentEvent, 'type' | 'combined'> & {
    subject: Pick<EventSubject, 'kind' | 'status'>;
  },
): boolean =>
  event.type === 'started' &&
  event.combined !== true &&
  event.subject.kind === 'incident' &&
  !isOver(event.subject);
