import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import {
  DEFAULT_SIGNAL_POLICY,
  mergeSignals,
  type SignalPolicy,
} from '../incidents/merge-signals.js';
import type { IncidentEvent, PollResult, Service } from '../incidents/model.js';
import { mayOpenThreads, threadsToCheck } from '../incidents/mute-policy.js';
import {
  failedObservation,
  type Observation,
  type ReconcilePolicy,
  reconcile,
} from '../incidents/reconcile.js';
import { route, startEventsForNewSubscription } from '../incidents/router.js';
import { emptySignals, type SignalState } from '../incidents/signal-state.js';
import { isFreshState, type ServiceState } from '../incidents/state.js';
import { type ChannelRef, channelKey, type Delivery } from '../incidents/subscription.js';
import { type Feed, feedsOf } from '../sources/feeds.js';
import type { Source } from '../sources/source.js';
import type { LeaseFence, SignalsCommit, Store } from '../store/store.js';
import { recordPollHistory } from './poll-history.js';
import { keepPollLease } from './poll-lease.js';
import { isQuietPoll } from './quiet-poll.js';
import type { PollOutcome } from './scheduler.js';

export interface PollServiceDeps {
  store: Store;
  /** The source instance of a feed (kept across polls for its conditional-GET cache). */
  sourceFor: (service: Service, feed: Feed) => Source;
  /** Operator knobs of the reconciler (PROBE_FAILURES, PROBE_RECOVERIES). */
  policy?: Partial<ReconcilePolicy>;
  /** Operator knobs of the signal merge (SIGNAL_WINDOW_MS, SIGNAL_HOLD_MS). */
  signalPolicy?: Partial<SignalPolicy>;
  logger: Logger;
  now: () => Date;
  metrics?: Metrics;
  /** Identifies this replica in the poll lease. */
  owner: string;
  leaseMs: number;
  /** New deliveries were enqueued: wake the delivery worker. */
  onEnqueued: () => void;
}

/** A store call failed: not the feed's fault and not a bug here, so counted apart from both. */
class StoreFailure extends Error {}

const fromStore = <T>(pending: Promise<T>): Promise<T> =>
  pending.catch((err: unknown) => {
    throw new StoreFailure('store call failed', { cause: err });
  });

/**
 * One poll of one service, start to finish: read the feed, reconcile against the stored state,
 * route the events to subscribed channels, and commit state and deliveries together.
 * The lease makes one replica at a time poll a service: it is renewed while the poll runs, and
 * the commit is fenced on it, so a poll that outlived its lease writes nothing.
 */
export async function pollService(
  service: Service,
  signal: AbortSignal,
  deps: PollServiceDeps,
  feed: Feed | undefined = feedsOf(service)[0],
): Promise<PollOutcome> {
  const { store, now } = deps;
  const log = deps.logger.child({ poll: feed?.key ?? service.id });
  const started = now().getTime();
  if (!feed) {
    log.error('service has no source; nothing to poll');
    return count(deps, 'none', 'internal_error', started);
  }
  const kind = feed.config.kind;
  // Unique to this poll, so even this replica's next poll cannot commit under this one's lease.
  const fence: LeaseFence = { name: `poll:${feed.key}`, owner: `${deps.owner}/${randomUUID()}` };
  let previous: ServiceState | undefined;
  try {
    // The lease and the state it guards in one round trip (the poll's first of two).
    const start = await store.beginPoll(fence, deps.leaseMs, feed.key);
    if (!start.leased) {
      log.debug('another replica is polling this service');
      return count(deps, kind, 'skipped', started);
    }
    previous = start.state;
  } catch (err) {
    log.error({ err }, 'store unavailable; poll skipped');
    return count(deps, kind, 'store_unavailable', started);
  }
  const lost = new AbortController();
  const stopHeartbeat = keepPollLease({
    store,
    fence,
    leaseMs: deps.leaseMs,
    log,
    onLost: () => lost.abort(new Error('poll lease lost')),
  });
  const held: HeldPoll = {
    deps,
    log,
    fence,
    lost: lost.signal,
    feed,
    previous,
    stopHeartbeat,
    committed: false,
  };
  try {
    const outcome = await pollHoldingLease(service, AbortSignal.any([signal, lost.signal]), held);
    return count(deps, kind, outcome, started);
  } catch (err) {
    if (err instanceof StoreFailure) {
      // Not the feed's fault, so no source backoff.
      log.error({ err: err.cause }, 'store unavailable; poll result not recorded');
      return count(deps, kind, 'store_unavailable', started);
    }
    log.error({ err, service: service.id }, 'poll failed on an internal error; nothing recorded');
    return count(deps, kind, 'internal_error', started);
  } finally {
    stopHeartbeat();
    // A commit that went through released the lease itself.
    if (!held.committed) await store.releaseLease(fence.name, fence.owner).catch(() => undefined);
  }
}

interface HeldPoll {
  deps: PollServiceDeps;
  log: Logger;
  fence: LeaseFence;
  lost: AbortSignal;
  feed: Feed;
  /** The state as beginPoll read it: while the lease is held, no other poll can commit one. */
  previous: ServiceState | undefined;
  stopHeartbeat: () => void;
  /** Set once the fenced commit went through (which released the lease). */
  committed: boolean;
}

async function pollHoldingLease(
  service: Service,
  signal: AbortSignal,
  held: HeldPoll,
): Promise<PollOutcome> {
  const { deps, log, fence, lost, feed, previous } = held;
  const { store, now } = deps;
  const result = await deps.sourceFor(service, feed).poll(signal);
  if (lost.aborted) return leaseLost(log, 'while polling');
  const at = now().toISOString();
  const { state, events } = reconcile(previous, observationOf(service, result, at), {
    ...deps.policy,
    serviceName: service.name,
  });
  if (feed.key !== service.id) state.feedKey = feed.key;
  if (!result.ok) {
    const { kind, status, message } = result.failure;
    const failures = state.health.consecutiveFailures;
    log.warn({ kind, status, failures }, `source unreachable: ${message}`);
  }
  recordHealth(deps, feed, result, state);
  // The first poll of a service (rule 2), or the first in a long while: channels that
  // subscribed meanwhile are shown what is open, as a new subscription is. After a gap the
  // starts show what was open before this poll and this poll's events follow as replies;
  // showing the new state instead would put each new update in both.
  const catchUp =
    result.ok && state.baselined && (!previous?.baselined || !isFreshState(previous, new Date(at)));
  const shown = previous?.baselined ? previous : state;
  const observedAt = result.ok && !result.notModified ? result.snapshot.fetchedAt : at;
  let enqueued: number | 'lease_lost' | 'signals_changed' = 'signals_changed';
  let merged: IncidentEvent[] = events;
  // Another feed of the service committing its signals first is the only reason to go round.
  for (let round = 0; enqueued === 'signals_changed' && round < MERGE_ROUNDS; round += 1) {
    const signals = await mergedSignals(service, feed, events, observedAt, deps);
    merged = signals?.events ?? events;
    const starts = catchUp ? { state: shown, signals: signals?.state } : undefined;
    const deliveries = await deliveriesFor(service, merged, starts, deps, at);
    // A commit that goes through releases the lease: a renewal after it would take it again.
    held.stopHeartbeat();
    const quiet = merged.length === 0 && deliveries.length === 0 && !signals?.commit;
    if (quiet && isQuietPoll(previous, state, at)) {
      // Nothing to write, so nothing to fence: the lease goes back with the next poll's start.
      store.releaseLeaseSoon(fence.name, fence.owner);
      held.committed = true;
      return result.ok && result.notModified ? 'not_modified' : 'ok';
    }
    enqueued = await fromStore(store.commitPoll(state, deliveries, fence, signals?.commit));
  }
  if (enqueued === 'lease_lost') return leaseLost(log, 'before the commit');
  if (enqueued === 'signals_changed') {
    log.warn('signals of this service kept changing under this poll; its result is dropped');
    return 'lease_lost';
  }
  held.committed = true;
  await recordPollHistory(store.history, log, {
    serviceId: service.id,
    result,
    state,
    events,
    baseline: !previous?.baselined,
    at: now(),
  });
  for (const event of merged) deps.metrics?.events.inc({ type: event.type });
  if (merged.length > 0) log.info({ events: merged.map((e) => e.id), enqueued }, 'incident events');
  if (catchUp)
    log.info({ enqueued }, previous?.baselined ? 'caught up after a gap' : 'baseline recorded');
  if (enqueued > 0) deps.onEnqueued();
  return !result.ok ? 'failed' : result.notModified ? 'not_modified' : 'ok';
}

/** Rounds of read-merge-commit before a poll gives up to the feeds that keep winning. */
const MERGE_ROUNDS = 5;

/**
 * A service with several feeds merges their incidents into one (src/incidents/merge-signals.ts):
 * this feed's events mapped onto the service's merged signals as the store holds them now, and
 * the commit that saves them at that version (none when nothing changed).
 */
async function mergedSignals(
  service: Service,
  feed: Feed,
  events: IncidentEvent[],
  at: string,
  deps: PollServiceDeps,
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

function observationOf(service: Service, result: PollResult, at: string): Observation {
  if (!result.ok) return failedObservation(service.id, result.failure, at);
  if (result.notModified) return { ok: true, notModified: true, serviceId: service.id, at };
  return result.snapshot;
}

/** Never retried here: the lease's new holder polls the feed again and commits its own result. */
function leaseLost(log: Logger, when: string): PollOutcome {
  log.warn(`poll lease lost ${when}; this poll's result is dropped, the new holder's stands`);
  return 'lease_lost';
}

/**
 * Events to the channels that follow the service. With `catchUp` (the state before a poll after a
 * long gap, or a baseline's), every following channel is also shown what is open, as a new
 * subscription is; ids are deterministic, so a channel that has a thread gets nothing twice.
 */
async function deliveriesFor(
  service: Service,
  events: IncidentEvent[],
  starts: { state: ServiceState; signals: SignalState | undefined } | undefined,
  deps: PollServiceDeps,
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

function count(
  deps: PollServiceDeps,
  kind: string,
  outcome: PollOutcome,
  startedMs: number,
): PollOutcome {
  deps.metrics?.polls.inc({ kind, result: outcome });
  deps.metrics?.pollDuration.observe(
    { kind, result: outcome },
    (deps.now().getTime() - startedMs) / 1000,
  );
  return outcome;
}

/** Source health as the metrics show it: per feed, as the state records it after this poll. */
function recordHealth(deps: PollServiceDeps, feed: Feed, result: PollResult, state: ServiceState) {
  const { metrics } = deps;
  if (!metrics) return;
  const labels = { source: feed.key, kind: feed.config.kind };
  if (!result.ok) metrics.pollFailures.inc({ kind: labels.kind, reason: result.failure.kind });
  metrics.sourceUp.set(labels, result.ok ? 1 : 0);
  metrics.sourceConsecutiveFailures.set(labels, state.health.consecutiveFailures);
}
