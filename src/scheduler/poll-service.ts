import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import type { SignalPolicy } from '../incidents/merge-signals.js';
import type { IncidentEvent, PollResult, Service } from '../incidents/model.js';
import {
  failedObservation,
  type Observation,
  type ReconcilePolicy,
  reconcile,
} from '../incidents/reconcile.js';
import { isFreshState, type ServiceState } from '../incidents/state.js';
import { type Feed, feedsOf } from '../sources/feeds.js';
import type { Source } from '../sources/source.js';
import type { LeaseFence, Store } from '../store/store.js';
import { deliveriesFor, mergedSignals } from './poll-deliveries.js';
import { recordPollHistory } from './poll-history.js';
import { keepPollLease } from './poll-lease.js';
import { countPoll, recordHealth } from './poll-metrics.js';
import { isQuietPoll } from './quiet-poll.js';
import type { PollOutcome } from './scheduler.js';
import { fromStore, StoreFailure } from './store-failure.js';

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
    return countPoll(deps, 'none', 'internal_error', started);
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
      return countPoll(deps, kind, 'skipped', started);
    }
    previous = start.state;
  } catch (err) {
    log.error({ err }, 'store unavailable; poll skipped');
    return countPoll(deps, kind, 'store_unavailable', started);
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
    return countPoll(deps, kind, outcome, started);
  } catch (err) {
    if (err instanceof StoreFailure) {
      // Not the feed's fault, so no source backoff.
      log.error({ err: err.cause }, 'store unavailable; poll result not recorded');
      return countPoll(deps, kind, 'store_unavailable', started);
    }
    log.error({ err, service: service.id }, 'poll failed on an internal error; nothing recorded');
    return countPoll(deps, kind, 'internal_error', started);
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
