import type { IncidentEvent } from '../../src/incidents/model.js';
import { emptyState, type ServiceState } from '../../src/incidents/state.js';
import type { ChannelRef, Delivery, Subscription } from '../../src/incidents/subscription.js';
import { deliveryFor } from '../helpers/events.js';
import { subscription as aSubscription } from '../helpers/subscriptions.js';

export const T0 = new Date('2025-03-01T12:00:00.000Z');

export const channel = (channelId: string, workspaceId = 'T1'): ChannelRef => ({
  platform: 'slack',
  workspaceId,
  channelId,
});

export function event(subjectId: string, type: IncidentEvent['type'], n = 0): IncidentEvent {
  return {
    id: `github:${subjectId}:${type}:${n}`,
    type,
    serviceId: 'github',
    serviceName: 'GitHub',
    threadKey: `github:${subjectId}`,
    subject: {
      kind: 'incident',
      id: subjectId,
      title: 'Degraded <!channel> performance',
      status: 'investigating',
      impact: 'major',
      components: [],
      startedAt: T0.toISOString(),
      origin: 'status_page',
    },
    update: { id: `u${n}`, status: 'investigating', body: 'We are looking', at: T0.toISOString() },
    at: T0.toISOString(),
  };
}

/** A delivery of `event(subjectId, type, n)` to `to`, due at `due`. */
export function delivery(
  subjectId: string,
  n: number,
  to: ChannelRef = channel('C1'),
  due: Date = T0,
): Delivery {
  return deliveryFor(event(subjectId, n === 0 ? 'started' : 'updated', n), to, {
    mention: n === 0 ? 'here' : 'none',
    enqueuedAt: T0.toISOString(),
    nextAttemptAt: due.toISOString(),
  });
}

export function state(serviceId: string, seen: string[] = []): ServiceState {
  const s = emptyState(serviceId);
  s.baselined = true;
  s.subjects.inc1 = {
    subject: event('inc1', 'started').subject,
    seenUpdateIds: seen,
    missingPolls: 0,
  };
  s.components.api = { name: 'API', status: 'major_outage', since: T0.toISOString() };
  s.health = { consecutiveFailures: 0, lastOkAt: T0.toISOString() };
  return s;
}

export function subscription(serviceId: string, to: ChannelRef): Subscription {
  return aSubscription({
    serviceId,
    channel: to,
    filters: { minImpact: 'minor', components: [] },
    mention: { role: 'R1' },
    createdAt: T0.toISOString(),
  });
}

export const later = (ms: number, from: Date = T0): Date => new Date(from.getTime() + ms);
