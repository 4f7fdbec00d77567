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

/** The event changes what the start message must say (closed, or open again). */
export const editsRoot = (event: Pick<IncidentEvent, 'type'>): boolean =>
  closesThread(event) || reopensThread(event);

/**
 * Only a live start may ping (within what the subscription asked for): nobody is woken for an
 * update, a reopening of a thread they already have, or something already over when posted.
 */
export const mayPing = (event: Pick<IncidentEvent, 'type' | 'combined' | 'subject'>): boolean =>
  event.type === 'started' && event.combined !== true && !isOver(event.subject);

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
