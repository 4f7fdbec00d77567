import type { IncidentEvent } from '../../../src/incidents/model.js';
import type { Delivery, MentionKind } from '../../../src/incidents/subscription.js';
import { deliveryFor, incidentEvent, incidentThreadEvents } from '../../helpers/events.js';

export { incidentEvent };

/** The same incident, one step later: an update, or the resolution 1h 12m after the start. */
export function laterEvent(
  type: 'updated' | 'resolved',
  overrides: Partial<IncidentEvent> = {},
): IncidentEvent {
  const [, updated, resolved] = incidentThreadEvents(
    'inc1',
    incidentEvent().subject.title,
    [{ id: 'u2', body: 'The cause is a bad deploy.', at: '2024-06-10T14:30:00.000Z' }],
    { id: 'u3', body: 'All systems are back to normal.', at: '2024-06-10T15:12:00.000Z' },
  );
  return { ...((type === 'updated' ? updated : resolved) as IncidentEvent), ...overrides };
}

export function discordDelivery(
  event: IncidentEvent,
  channelId: string,
  overrides: Partial<Delivery> & { mention?: MentionKind } = {},
): Delivery {
  const channel = { platform: 'discord' as const, workspaceId: '200000000000000001', channelId };
  return deliveryFor(event, channel, {
    enqueuedAt: '2024-06-10T14:00:01.000Z',
    nextAttemptAt: '2024-06-10T14:00:01.000Z',
    ...overrides,
  });
}
