import {
  DEFAULT_SIGNAL_POLICY,
  mergeSignals,
  type SignalPolicy,
} from '../incidents/merge-signals.js';
import type { IncidentEvent, Service } from '../incidents/model.js';
import { mayOpenThreads, threadsToCheck } from '../incidents/mute-policy.js';
import { route, startEventsForNewSubscription } from '../incidents/router.js';
import { emptySignals, type SignalState } from '../incidents/signal-state.js';
import type { ServiceState } from '../incidents/state.js';
import { type ChannelRef, channelKey, type Delivery } from '../incidents/subscription.js';
import { type Feed, feedsOf } from '../sources/feeds.js';
import type { SignalsCommit, Store } from '../store/store.js';
import { fromStore } from './store-failure.js';

/**
 * A service with several feeds merges their incidents into one (src/incidents/merge-signals.ts):
 * this feed's events mapped onto the service's merged signals as the store holds them now, and
 * the commit that saves them at that version (none when nothing changed).
 */
export async function mergedSignals(
  service: Service,
  feed: Feed,
  events: IncidentEvent[],
  at: string,
  deps: { store: Store; signalPolicy?: Partial<SignalPolicy> },
): Promise<{ events: IncidentEvent[]; state: SignalState; commit?: SignalsCommit } | undefined> {
  if (feedsOf(service).length < 2) return undefined;
  const read = await fromStore(deps.store.getSignals(service.id));
  const input = { serviceId: service.id, serviceName: service.name, feedKey: feed.key, events, at };
  const next = mergeSignals(read?.state, input, { ...DEFAULT_SIGNAL_POLICY, ...deps.signalPolicy });
  const changed =
    JSON.stringify(next.state) !== JSON.stringify(read?.state ?? emptySignals(service.id));
  return {
    events: next.events,
    state: next.state,
    ...(changed ? { commit: { state: next.state, version: read?.version ?? 0 } } : {}),
  };
}

/**
 * Events to the channels that follow the service. With `catchUp` (the state before a poll after a
 * long gap, or a baseline's), every following channel is also shown what is open, as a new
 * subscription is; ids are deterministic, so a channel that has a thread gets nothing twice.
 */
export async function deliveriesFor(
  service: Service,
  events: IncidentEvent[],
  starts: { state: ServiceState; signals: SignalState | undefined } | undefined,
  deps: { store: Store },
  at: string,
): Promise<Delivery[]> {
  const catchUp = starts?.state;
  const { store } = deps;
  if (events.length === 0 && !catchUp) return [];
  const nowDate = new Date(at);
  const subscriptions = await fromStore(store.listSubscriptionsForService(service.id));
  const mutes = await fromStore(store.getMutes(subscriptions.map((s) => s.channel)));
  const mutedUntil = (channel: ChannelRef) => mutes.get(channelKey(channel));
  const threads = threadsToCheck(events, subscriptions, mutedUntil, nowDate);
  const posted = threads.length > 0 ? await fromStore(store.getThreads(threads)) : new Map();
  // Catch-up starts go first, so a channel that subscribed during a gap gets an open incident's
  // start before the updates this poll found; ids already enqueued are not repeated.
  const deliveries: Delivery[] = [];
  if (catchUp) {
    for (const sub of subscriptions) {
      if (!mayOpenThreads(sub, mutedUntil(sub.channel), nowDate)) continue;
      deliveries.push(
        ...startEventsForNewSubscription(catchUp, service.name, sub, nowDate, starts?.signals),
      );
    }
  }
  const queued = new Set(deliveries.map((d) => d.id));
  const routed = route(events, subscriptions, {
    now: nowDate,
    mutedUntil,
    threadPosted: (thread) => posted.has(thread),
  });
  deliveries.push(...routed.filter((d) => !queued.has(d.id)));
  return deliveries;
}
