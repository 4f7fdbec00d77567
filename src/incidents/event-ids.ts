import type { EventSubject, IncidentEventType } from './model.js';

/**
 * Event ids are derived from content only (`${serviceId}:${subjectId}:${type}:${key}`, the key
 * being an update id or a status), so re-running a poll, or showing a subject to a channel that
 * subscribes again, yields ids the outbox has already seen (rule 1).
 */
export const eventId = (
  serviceId: string,
  subjectId: string,
  type: IncidentEventType,
  key: string,
): string => `${serviceId}:${subjectId}:${type}:${key}`;

/** One thread per key per channel. */
export const threadKey = (serviceId: string, subjectId: string): string =>
  `${serviceId}:${subjectId}`;

/**
 * The event that opens a subject's thread, and its key. Incidents always open with
 * `started:open` whatever their status, so the first poll that saw them and a later subscription
 * produce the same id.
 */
export const openingEvent = (
  subject: Pick<EventSubject, 'kind' | 'status'>,
): { type: IncidentEventType; key: string } => {
  if (subject.kind === 'incident') return { type: 'started', key: 'open' };
  if (subject.status === 'scheduled') return { type: 'maintenance_scheduled', key: 'scheduled' };
  return { type: 'maintenance_started', key: 'in_progress' };
};

/** Epoch milliseconds of an ISO time, for ids and comparisons (never compare ISO strings). */
export const epochMs = (iso: string): number => Date.parse(iso);
