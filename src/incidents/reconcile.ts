import { epochMs } from './event-ids.js';
import type { IncidentEvent, Snapshot, SourceFailure } from './model.js';
import { reconcileComponents } from './reconcile-components.js';
import {
  DEFAULT_RECONCILE_POLICY,
  type PollContext,
  type ReconcilePolicy,
} from './reconcile-context.js';
import { isOfficialIncident, reconcileIncidents } from './reconcile-incidents.js';
import { reconcileMaintenances } from './reconcile-maintenances.js';
import { reconcileProbe } from './reconcile-probes.js';
import { reconcileReports } from './reconcile-reports.js';
import { emptyState, type ServiceState, type SourceHealth } from './state.js';

export { DEFAULT_RECONCILE_POLICY, type ReconcilePolicy } from './reconcile-context.js';

/** A poll that failed (rule 4): it changes source health and nothing else. */
export interface ObservedFailure {
  ok: false;
  serviceId: string;
  failure: SourceFailure;
  at: string;
}

/** A conditional GET answered 304: the source is healthy and nothing changed. */
export interface ObservedUnchanged {
  ok: true;
  notModified: true;
  serviceId: string;
  at: string;
}

export type Observation = Snapshot | ObservedFailure | ObservedUnchanged;

export interface ReconcileOptions extends Partial<ReconcilePolicy> {
  /** Copied into every event so adapters can render it without a lookup. */
  serviceName: string;
}

export interface ReconcileResult {
  state: ServiceState;
  events: IncidentEvent[];
}

/**
 * The one place that decides what is news (DESIGN.md, rules 1 to 7). Pure: the previous state
 * and the observation in, the next state and the events out; time comes only from the
 * observation. The same inputs always give the same events with the same ids, so a poll re-run
 * after a crash enqueues nothing new.
 */
export const reconcile = (
  previous: ServiceState | undefined,
  observation: Observation,
  options: ReconcileOptions,
): ReconcileResult => {
  const { serviceId } = observation;
  if (previous && previous.serviceId !== serviceId) {
    throw new Error(`reconcile: state of ${previous.serviceId} given for ${serviceId}`);
  }
  const state = previous ? structuredClone(previous) : emptyState(serviceId);
  const policy = policyFrom(options);
  if ('ok' in observation) {
    state.health = observation.ok
      ? healthy(state.health, observation.at)
      : failed(state.health, observation, policy);
    return { state, events: [] };
  }
  const nowMs = epochMs(observation.fetchedAt);
  if (!Number.isFinite(nowMs)) {
    throw new Error(`reconcile: snapshot of ${serviceId} has no valid fetchedAt`);
  }
  const ctx: PollContext = {
    serviceId,
    serviceName: options.serviceName,
    snapshot: observation,
    policy,
    firstPoll: !state.baselined,
    nowMs,
    subjects: state.baselined ? state.subjects : {},
    closed: state.baselined ? { ...state.closed } : {},
    previousComponents: state.components,
    events: [],
  };
  if (state.baselined && state.lastPollAt !== undefined) ctx.lastPollAt = state.lastPollAt;
  if (state.probe) ctx.probe = state.probe;
  if (state.reports) ctx.reports = state.reports;
  // Incidents first: which components are covered depends on the incidents' next state.
  reconcileIncidents(ctx);
  reconcileComponents(ctx);
  reconcileMaintenances(ctx);
  if (observation.probe) reconcileProbe(ctx, observation.probe);
  if (observation.reports) reconcileReports(ctx, observation.reports);
  forgetClosed(ctx);
  const next: ServiceState = {
    serviceId,
    baselined: true,
    baselineAt: (state.baselined ? state.baselineAt : undefined) ?? observation.fetchedAt,
    lastPollAt: observation.fetchedAt,
    subjects: ctx.subjects,
    ...(Object.keys(ctx.closed).length > 0 ? { closed: ctx.closed } : {}),
    components: nextComponents(ctx),
    health: healthy(state.health, observation.fetchedAt),
  };
  if (ctx.probe) next.probe = ctx.probe;
  if (ctx.reports && Object.keys(ctx.reports).length > 0) next.reports = ctx.reports;
  return { state: next, events: ctx.events };
};

/** A failed poll for `serviceId` at `at`, as reconcile expects it. */
export const failedObservation = (
  serviceId: string,
  failure: SourceFailure,
  at: string,
): ObservedFailure => ({ ok: false, serviceId, failure, at });

const policyFrom = (options: ReconcileOptions): ReconcilePolicy => {
  const policy = { ...DEFAULT_RECONCILE_POLICY };
  for (const key of Object.keys(policy) as (keyof ReconcilePolicy)[]) {
    const value = options[key];
    if (value !== undefined) policy[key] = value;
  }
  return policy;
};

const healthy = (health: SourceHealth, at: string): SourceHealth => {
  const next: SourceHealth = { ...health, consecutiveFailures: 0, lastOkAt: at };
  delete next.signal;
  return next;
};

const failed = (
  health: SourceHealth,
  observation: ObservedFailure,
  policy: ReconcilePolicy,
): SourceHealth => {
  const consecutiveFailures = health.consecutiveFailures + 1;
  const { kind, message } = observation.failure;
  const next: SourceHealth = {
    ...health,
    consecutiveFailures,
    lastFailureAt: observation.at,
    lastError: `${kind}: ${message}`,
  };
  if (consecutiveFailures >= policy.failureSignalThreshold) next.signal = true;
  return next;
};

/**
 * Closed subjects shrink to a closed record once their full record expires (official incidents
 * only: component incidents never come back under the same id, maintenances never reopen), and
 * closed records are dropped after the reopen window or beyond the cap, oldest first.
 */
const forgetClosed = (ctx: PollContext): void => {
  const { closedRetentionMs, reopenWindowMs, maxClosedRecords } = ctx.policy;
  const age = (closedAt: string): number => {
    const closedMs = epochMs(closedAt);
    return Number.isFinite(closedMs) ? ctx.nowMs - closedMs : Number.POSITIVE_INFINITY;
  };
  for (const [id, tracked] of Object.entries(ctx.subjects)) {
    if (tracked.closedAt === undefined || age(tracked.closedAt) <= closedRetentionMs) continue;
    delete ctx.subjects[id];
    if (isOfficialIncident(tracked)) ctx.closed[id] = tracked.closedAt;
  }
  const kept = Object.entries(ctx.closed)
    .filter(([, closedAt]) => age(closedAt) <= reopenWindowMs)
    .sort(([idA, a], [idB, b]) => age(a) - age(b) || idA.localeCompare(idB))
    .slice(0, maxClosedRecords);
  ctx.closed = Object.fromEntries(kept);
};

/** Component statuses as of this poll; `since` survives while the status is unchanged. */
const nextComponents = (ctx: PollContext): ServiceState['components'] => {
  const components: ServiceState['components'] = {};
  for (const { id, name, status } of ctx.snapshot.components) {
    const previous = ctx.previousComponents[id];
    const since =
      previous?.status === status && !ctx.firstPoll ? previous.since : ctx.snapshot.fetchedAt;
    components[id] = { name, status, since };
  }
  return components;
};
