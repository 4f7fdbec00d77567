import { isOfficial } from './confidence.js';
import { eventId, openingEvent, threadKey } from './event-ids.js';
import { type EventSubject, type IncidentEvent, impactRank } from './model.js';
import { isSubscriptionMuted, mutePasses } from './mute-policy.js';
import type { SignalState } from './signal-state.js';
import { signalStarts } from './signal-thread.js';
import type { ServiceState, TrackedSubject } from './state.js';
import {
  type ChannelRef,
  channelKey,
  type Delivery,
  type MentionKind,
  type Subscription,
  type SubscriptionFilters,
} from './subscription.js';
import { mayPing } from './thread-rules.js';

export interface RouteOptions {
  now: Date;
  /** When the channel's mute ends, if it is muted (a service's own mute is on its subscription). */
  mutedUntil?: (channel: ChannelRef) => Date | undefined;
  /**
   * Whether a delivery with this `thread` (`${threadKey}|${channelKey}`) was already enqueued or
   * posted. Asked only for muted channels; without it a muted channel gets nothing.
   */
  threadPosted?: (thread: string) => boolean;
}

/**
 * Turns events into deliveries: one per (event, subscribed channel) whose filters match, in
 * event order. Pure.
 *
 * Filters are decided on the subject, whose impact and components only grow over a thread's
 * life (reconcile keeps the peak and the union), so once a channel gets a thread it gets every
 * later event of it, resolution included. A thread that starts below a channel's minimum impact
 * and escalates reaches that channel from the escalation on (its first delivery opens the thread
 * there). Maintenance passes any minimum impact; the components filter still applies.
 *
 * Mutes follow src/incidents/mute-policy.ts: a muted channel, or a service muted in it, gets only
 * events of threads it already has (`threadPosted`).
 */
export const route = (
  events: readonly IncidentEvent[],
  subscriptions: readonly Subscription[],
  options: RouteOptions,
): Delivery[] => {
  const now = options.now.toISOString();
  const deliveries: Delivery[] = [];
  for (const event of events) {
    for (const sub of subscriptions) {
      if (sub.serviceId !== event.serviceId || sub.suspended) continue;
      if (!matchesFilters(event.subject, sub.filters)) continue;
      const key = channelKey(sub.channel);
      const thread = `${event.threadKey}|${key}`;
      const muted = isSubscriptionMuted(sub, options.mutedUntil?.(sub.channel), options.now);
      if (!mutePasses(muted, muted && (options.threadPosted?.(thread) ?? false))) continue;
      deliveries.push({
        id: `${event.id}|${key}`,
        event,
        channel: sub.channel,
        mention: mentionFor(event, sub),
        thread,
        enqueuedAt: now,
        attempts: 0,
        nextAttemptAt: now,
      });
    }
  }
  return deliveries;
};

/**
 * Minimum impact (maintenance always passes), components (case-insensitive, any of), and for an
 * `official` subscription the provider's word (confidence only grows, so this never flips back).
 */
export const matchesFilters = (subject: EventSubject, filters: SubscriptionFilters): boolean => {
  if (filters.signals === 'official' && subject.kind === 'incident' && !isOfficial(subject)) {
    return false;
  }
  const impactOk =
    subject.kind === 'maintenance' || impactRank(subject.impact) >= impactRank(filters.minImpact);
  if (!impactOk) return false;
  if (filters.components.length === 0) return true;
  const wanted = new Set(filters.components.map((c) => c.toLowerCase()));
  return subject.components.some((c) => wanted.has(c.toLowerCase()));
};

/** The subscription's mention, for an event that may ping (mayPing) at or above its threshold. */
const mentionFor = (event: IncidentEvent, sub: Subscription): MentionKind => {
  if (!mayPing(event, sub.filters.signals ?? 'all') || sub.mention === 'none') return 'none';
  return impactRank(event.subject.impact) >= impactRank(sub.mentionMinImpact)
    ? sub.mention
    : 'none';
};

/** Incidents open now and maintenances scheduled or running, oldest first. */
export const openSubjects = (state: ServiceState): EventSubject[] =>
  openTracked(state).map((t) => t.subject);

const openTracked = (state: ServiceState): TrackedSubject[] =>
  Object.values(state.subjects)
    .filter((t) => t.closedAt === undefined)
    .sort(
      (a, b) =>
        Date.parse(a.subject.startedAt) - Date.parse(b.subject.startedAt) ||
        a.subject.id.localeCompare(b.subject.id),
    );

/**
 * What a new subscription is shown: the opening event of every open subject that passes its
 * filters, with the same ids reconcile gives those events, so subscribing again (or a channel
 * that already got the start) posts nothing twice.
 */
export const startEventsForNewSubscription = (
  state: ServiceState,
  serviceName: string,
  sub: Subscription,
  now: Date,
  signals?: SignalState,
): Delivery[] => {
  const events = openingEvents(state, serviceName);
  return route(signals ? signalStarts(signals, events) : events, [sub], { now });
};

/** The opening event of every open subject, with the ids reconcile gave them. */
export const openingEvents = (state: ServiceState, serviceName: string): IncidentEvent[] =>
  openTracked(state).map((tracked): IncidentEvent => {
    const { subject } = tracked;
    const { type, key } = openingEvent(subject);
    const event: IncidentEvent = {
      id: eventId(state.serviceId, subject.id, type, key),
      type,
      serviceId: state.serviceId,
      serviceName,
      threadKey: threadKey(state.serviceId, subject.id),
      subject: { ...subject, components: [...subject.components] },
      at: tracked.lastUpdate?.at ?? subject.startedAt,
    };
    if (tracked.lastUpdate) event.update = tracked.lastUpdate;
    return event;
  });
