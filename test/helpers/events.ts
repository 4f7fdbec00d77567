import type { IncidentEvent, IncidentUpdate } from '../../src/incidents/model.js';
import { type ChannelRef, channelKey, type Delivery } from '../../src/incidents/subscription.js';

/** A GitHub incident opened at 2024-06-10 14:00 UTC (epoch 1718028000); override anything. */
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

/** A step of a thread after its start: the update's id becomes part of the event id. */
export type ThreadStep = Pick<IncidentUpdate, 'id' | 'body' | 'at'>;

/**
 * One incident's whole thread, built on `incidentEvent()`: the start, one `identified` update per
 * step, and the resolution (its event id ends in `:resolved`).
 */
export function incidentThreadEvents(
  incidentId: string,
  title: string,
  updates: ThreadStep[],
  resolution: ThreadStep,
): IncidentEvent[] {
  const base = incidentEvent();
  const subject = { ...base.subject, id: incidentId, title };
  const threadKey = `github:${incidentId}`;
  const started: IncidentEvent = { ...base, id: `${threadKey}:started`, threadKey, subject };
  const updated = updates.map(
    (step): IncidentEvent => ({
      ...base,
      id: `${threadKey}:${step.id}`,
      type: 'updated',
      threadKey,
      subject: { ...subject, status: 'identified' },
      update: { ...step, status: 'identified' },
      at: step.at,
    }),
  );
  const resolved: IncidentEvent = {
    ...base,
    id: `${threadKey}:resolved`,
    type: 'resolved',
    threadKey,
    subject: { ...subject, status: 'resolved', resolvedAt: resolution.at },
    update: { ...resolution, status: 'resolved' },
    at: resolution.at,
  };
  return [started, ...updated, resolved];
}

/**
 * The delivery of `event` to `channel`, as the router enqueues it: due now, never attempted.
 * Slack's adapter looks back from `enqueuedAt` for a lost root, so the default is the real time.
 */
export function deliveryFor(
  event: IncidentEvent,
  channel: ChannelRef,
  overrides: Partial<Delivery> = {},
): Delivery {
  const now = new Date().toISOString();
  return {
    id: `${event.id}|${channelKey(channel)}`,
    event,
    channel,
    mention: 'none',
    thread: `${event.threadKey}|${channelKey(channel)}`,
    enqueuedAt: now,
    attempts: 0,
    nextAttemptAt: now,
    ...overrides,
  };
}

/**
 * Incident `n`'s thread as numbered test data: the start, `updates` updates ("update k of
 * incident n", a minute apart) and the resolution ("incident n resolved").
 */
export function numberedThreadEvents(n: number, updates: number): IncidentEvent[] {
  const at = (m: number) => new Date(Date.parse(incidentEvent().at) + m * 60_000).toISOString();
  const steps = Array.from({ length: updates }, (_, i) => ({
    id: `u${i + 1}`,
    body: `update ${i + 1} of incident ${n}`,
    at: at(i + 1),
  }));
  return incidentThreadEvents(`inc${n}`, `Incident ${n}`, steps, {
    id: 'r',
    body: `incident ${n} resolved`,
    at: at(updates + 1),
  });
}

/** The thread of `resolved` reopened: its subject open again, with the update that reopened it. */
export function reopenedEvent(resolved: IncidentEvent, step: ThreadStep): IncidentEvent {
  const { resolvedAt: _resolvedAt, ...subject } = resolved.subject;
  return {
    ...resolved,
    id: `${resolved.threadKey}:reopened:${step.id}`,
    type: 'reopened',
    subject: { ...subject, status: 'investigating' },
    update: { ...step, status: 'investigating' },
    at: step.at,
  };
}
