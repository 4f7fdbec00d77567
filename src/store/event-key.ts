import { createHash } from 'node:crypto';
import type { IncidentEvent } from '../incidents/model.js';

/**
 * The key an outbox stores an event body under, shared by every delivery of that same event.
 * A hash of the content, not `event.id`: a catch-up start for a late subscriber reuses the id of
 * the original start but shows the incident as it is now, and each must be posted as it was made.
 */
export function eventKey(event: IncidentEvent): { key: string; json: string } {
  const json = JSON.stringify(event);
  return { key: createHash('sha256').update(json).digest('base64url').slice(0, 32), json };
}
