import type { IncidentEvent } from '../../../src/incidents/model.js';
import type { Delivery, MentionKind } from '../../../src/incidents/subscription.js';

/** Epoch seconds of the fixed start time below (2024-06-10T14:00:00Z). */
export const START_EPOCH = 1718028000;

/** A GitHub incident opened at 2024-06-10 14:00 UTC; override anything. */
export function incidentEvent(overrides: Partial<IncidentEvent> = {}): IncidentEvent {
  return {
    id: 'github:inc1:started',
    type: 'started',
    serviceId: 'github',
    serviceName: 'GitHub',
    threadKey: 'github:inc1',
    subject: {
      kind: 'incident',
      id: 'inc1',
      title: 'Degraded performance for Actions',
      status: 'investigating',
      impact: 'major',
      components: ['Actions', 'API Requests'],
      startedAt: '2024-06-10T14:00:00.000Z',
      url: 'https://www.githubstatus.com/incidents/inc1',
      origin: 'status_page',
    },
    update: {
      id: 'u1',
      status: 'investigating',
      body: 'We are investigating reports of degraded performance.',
      at: '2024-06-10T14:00:00.000Z',
    },
    at: '2024-06-10T14:00:00.000Z',
    ...overrides,
  };
}

/** The same incident, one step later: an update, or the resolution 1h 12m after the start. */
export function laterEvent(
  type: 'updated' | 'resolved',
  overrides: Partial<IncidentEvent> = {},
): IncidentEvent {
  const base = incidentEvent();
  if (type === 'updated') {
    return incidentEvent({
      id: 'github:inc1:u2',
      type: 'updated',
      subject: { ...base.subject, status: 'identified' },
      update: {
        id: 'u2',
        status: 'identified',
        body: 'The cause is a bad deploy.',
        at: '2024-06-10T14:30:00.000Z',
      },
      at: '2024-06-10T14:30:00.000Z',
      ...overrides,
    });
  }
  return incidentEvent({
    id: 'github:inc1:resolved',
    type: 'resolved',
    subject: { ...base.subject, status: 'resolved', resolvedAt: '2024-06-10T15:12:00.000Z' },
    update: {
      id: 'u3',
      status: 'resolved',
      body: 'All systems are back to normal.',
      at: '2024-06-10T15:12:00.000Z',
    },
    at: '2024-06-10T15:12:00.000Z',
    ...overrides,
  });
}

export function discordDelivery(
  event: IncidentEvent,
  channelId: string,
  overrides: Partial<Delivery> & { mention?: MentionKind } = {},
): Delivery {
  const channel = { platform: 'discord' as const, workspaceId: '200000000000000001', channelId };
  const key = `discord:${channel.workspaceId}:${channelId}`;
  return {
    id: `${event.id}|${key}`,
    event,
    channel,
    mention: 'none',
    thread: `${event.threadKey}|${key}`,
    enqueuedAt: '2024-06-10T14:00:01.000Z',
    attempts: 0,
    nextAttemptAt: '2024-06-10T14:00:01.000Z',
    ...overrides,
  };
}
