import type { IncidentEvent } from '../../../src/incidents/model.js';
import type { Delivery } from '../../../src/incidents/subscription.js';

/** A GitHub incident at 2024-06-10 14:00 UTC (epoch 1718028000), for the Slack tests. */
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

export function deliveryOf(event: IncidentEvent, overrides: Partial<Delivery> = {}): Delivery {
  const channel = { platform: 'slack' as const, workspaceId: 'T0FAKE', channelId: 'C0GENERAL' };
  return {
    id: `${event.id}|slack:T0FAKE:C0GENERAL`,
    event,
    channel,
    mention: 'none',
    thread: `${event.threadKey}|slack:T0FAKE:C0GENERAL`,
    enqueuedAt: new Date().toISOString(),
    attempts: 0,
    nextAttemptAt: new Date().toISOString(),
    ...overrides,
  };
}

/** One incident's start, update and resolution, delivered to `channelId`. */
export function threadDeliveries(
  incidentId: string,
  title: string,
  channelId = 'C0GENERAL',
): Delivery[] {
  const base = incidentEvent();
  const subject = { ...base.subject, id: incidentId, title };
  const threadKey = `github:${incidentId}`;
  const events: IncidentEvent[] = [
    { ...base, id: `${threadKey}:started`, threadKey, subject },
    {
      ...base,
      id: `${threadKey}:u2`,
      type: 'updated',
      threadKey,
      subject: { ...subject, status: 'identified' },
      update: {
        id: 'u2',
        status: 'identified',
        body: `${title}: cause found.`,
        at: '2024-06-10T14:30:00.000Z',
      },
      at: '2024-06-10T14:30:00.000Z',
    },
    {
      ...base,
      id: `${threadKey}:resolved`,
      type: 'resolved',
      threadKey,
      subject: { ...subject, status: 'resolved', resolvedAt: '2024-06-10T16:15:00.000Z' },
      update: {
        id: 'u3',
        status: 'resolved',
        body: `${title}: resolved.`,
        at: '2024-06-10T16:15:00.000Z',
      },
      at: '2024-06-10T16:15:00.000Z',
    },
  ];
  const channel = { platform: 'slack' as const, workspaceId: 'T0FAKE', channelId };
  return events.map((event) =>
    deliveryOf(event, {
      id: `${event.id}|slack:T0FAKE:${channelId}`,
      channel,
      thread: `${threadKey}|slack:T0FAKE:${channelId}`,
    }),
  );
}
