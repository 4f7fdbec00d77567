import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import type { IncidentEvent, Service } from '../incidents/model.js';
import { failedObservation, type Observation, reconcile } from '../incidents/reconcile.js';
import { route, startEventsForNewSubscription } from '../incidents/router.js';
import { isFreshState, type ServiceState } from '../incidents/state.js';
import { type ChannelRef, channelKey, type Delivery } from '../incidents/subscription.js';
import type { Source } from '../sources/source.js';
import type { Store } from '../store/store.js';
import type { PollOutcome } from './scheduler.js';

export interface PollServiceDeps {
  store: Store;
  /** The source instance of a service (kept across polls for its conditional-GET cache). */
  sourceFor: (service: Service) => Source;
  logger: Logger;
  now: () => Date;
  metrics?: Metrics;
  /** Identifies this replica in the poll lease. */
  owner: string;
  leaseMs: number;
  /** New deliveries were enqueued: wake the delivery worker. */
  onEnqueued: () => void;
}

/**
 * One poll of one service, start to finish: read the feed, reconcile against the stored state,
 * route the events to subscribed channels, and commit state and deliveries together.
 * The lease makes one replica at a time poll a service.
 */
export async function pollService(
  service: Service,
  signal: AbortSignal,
  deps: PollServiceDeps,
): Promise<PollOutcome> {
  const { store, now, owner } = deps;
  const log = deps.logger.child({ poll: service.id });
  const started = now().getTime();
  const lease = `poll:${service.id}`;
  try {
    if (!(await store.tryLease(lease, owner, deps.leaseMs))) {
      log.debug('another replica is polling this service');
      return count(deps, 'skipped', started);
    }
  } catch (err) {
    log.error({ err }, 'store unavailable; poll skipped');
    return count(deps, 'store_unavailable', started);
  }
  try {
    const result = await deps.sourceFor(service).poll(signal);
    const previous = await store.getState(service.id);
    const at = now().toISOString();
    const observation: Observation = !result.ok
      ? failedObservation(service.id, result.failure, at)
      : result.notModified
        ? { ok: true, notModified: true, serviceId: service.id, at }
        : result.snapshot;
    const { state, events } = reconcile(previous, observation, { serviceName: service.name });
    if (!result.ok) {
      const { kind, status, message } = result.failure;
      const failures = state.health.consecutiveFailures;
      log.warn({ kind, status, failures }, `source unreachable: ${message}`);
    }
    // The first poll of a service (rule 2), or the first in a long while: channels that
    // subscribed meanwhile are shown what is open, as a new subscription is.
    const catchUp =
      result.ok &&
      state.baselined &&
      (!previous?.baselined || !isFreshState(previous, new Date(at)));
    // After a gap the starts show what was open before this poll, and this poll's events follow
    // as replies; showing the new state instead would put each new update in both.
    const shown = previous?.baselined ? previous : state;
    const deliveries = await deliveriesFor(service, events, catchUp ? shown : undefined, deps, at);
    const enqueued = await store.commitPoll(state, deliveries);
    for (const event of events) deps.metrics?.events.inc({ type: event.type });
    if (events.length > 0)
      log.info({ events: events.map((e) => e.id), enqueued }, 'incident events');
    if (catchUp)
      log.info({ enqueued }, previous?.baselined ? 'caught up after a gap' : 'baseline recorded');
    if (enqueued > 0) deps.onEnqueued();
    return count(deps, !result.ok ? 'failed' : result.notModified ? 'not_modified' : 'ok', started);
  } catch (err) {
    // The source never throws: this is the store. Not the feed's fault, so no source backoff.
    log.error({ err }, 'store unavailable; poll result not recorded');
    return count(deps, 'store_unavailable', started);
  } finally {
    await store.releaseLease(lease, owner).catch(() => undefined);
  }
}

/**
 * Events to the channels that follow the service. With `catchUp` (the state of a baseline poll,
 * or of the first poll after a long gap), every following channel is also shown what is open, as
 * a new subscription is; ids are deterministic, so a channel that has a thread gets nothing twice.
 */
async function deliveriesFor(
  service: Service,
  events: IncidentEvent[],
  catchUp: ServiceState | undefined,
  deps: PollServiceDeps,
  at: string,
): Promise<Delivery[]> {
  const { store } = deps;
  if (events.length === 0 && !catchUp) return [];
  const subscriptions = await store.listSubscriptionsForService(service.id);
  const mutes = new Map<string, Date | undefined>();
  for (const sub of subscriptions)
    mutes.set(channelKey(sub.channel), await store.getMute(sub.channel));
  const nowDate = new Date(at);
  const mutedUntil = (channel: ChannelRef) => mutes.get(channelKey(channel));
  const isMuted = (channel: ChannelRef) =>
    (mutedUntil(channel)?.getTime() ?? 0) > nowDate.getTime();
  // A muted channel still gets the rest of threads it already has: find which those are.
  const posted = new Set<string>();
  for (const sub of subscriptions.filter((s) => isMuted(s.channel))) {
    for (const event of events) {
      const thread = `${event.threadKey}|${channelKey(sub.channel)}`;
      if (await store.getThread(thread)) posted.add(thread);
    }
  }
  // Catch-up starts go first, so a channel that subscribed during a gap gets an open incident's
  // start before the updates this poll found; ids already enqueued are not repeated.
  const deliveries: Delivery[] = [];
  if (catchUp) {
    for (const sub of subscriptions.filter((s) => !isMuted(s.channel))) {
      deliveries.push(...startEventsForNewSubscription(catchUp, service.name, sub, nowDate));
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

function count(deps: PollServiceDeps, outcome: PollOutcome, startedMs: number): PollOutcome {
  deps.metrics?.polls.inc({ result: outcome });
  deps.metrics?.pollDuration.observe(
    { result: outcome },
    (deps.now().getTime() - startedMs) / 1000,
  );
  return outcome;
}
