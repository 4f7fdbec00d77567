import { CLOSED_SUBJECT_DETAIL_MS, MAX_CLOSED_RECORDS, REOPEN_WINDOW_MS } from '../lifetimes.js';
import { epochMs, eventId, threadKey } from './event-ids.js';
import {
  type EventSubject,
  type Impact,
  type IncidentEvent,
  type IncidentEventType,
  type IncidentUpdate,
  impactRank,
  type Snapshot,
} from './model.js';
import type { ProbeTrack, ReportsTrack, ServiceState, TrackedSubject } from './state.js';

/** Knobs of the reconciler; every one has a default in DEFAULT_RECONCILE_POLICY. */
export interface ReconcilePolicy {
  /** A component incident that degrades again within this time of recovering reopens (rule 7). */
  flapWindowMs: number;
  /** Polls an open subject must be absent from summary and history before it counts resolved. */
  missingPollsToResolve: number;
  /**
   * Polls in a row an open incident must be absent from the summary before it counts resolved
   * even though the history could not be read (a page without incidents.json, or one that keeps
   * failing): larger than missingPollsToResolve, because the summary alone is weaker evidence.
   */
  missingPollsWithoutHistory: number;
  /** Closed subjects are kept in full this long after they closed, then only as a closed record. */
  closedRetentionMs: number;
  /** Closed records of official incidents are kept this long, so a return reopens the thread. */
  reopenWindowMs: number;
  /** At most this many closed records per service, the most recently closed. */
  maxClosedRecords: number;
  /** Consecutive failed polls after which source health becomes a signal (rule 4). */
  failureSignalThreshold: number;
  /**
   * Slack before the previous poll within which an unknown, already resolved incident still
   * counts as news (rule 3): feeds are cached for a few seconds and clocks differ.
   */
  historyGraceMs: number;
  /** Failed probe checks in a row that open a probe incident (PROBE_FAILURES). */
  probeFailuresToOpen: number;
  /** Good probe checks in a row that resolve it (PROBE_RECOVERIES). */
  probeRecoveriesToClose: number;
  /** Distinct reporters within the window that open a report incident at least (REPORT_THRESHOLD). */
  reportThreshold: number;
  /** Times the usual count for the window (hour-of-week baseline) that is still normal. */
  reportBaselineFactor: number;
  /** Counts back to normal this long resolve a report incident (REPORT_HOLD_MS). */
  reportHoldMs: number;
}

export const DEFAULT_RECONCILE_POLICY: ReconcilePolicy = {
  flapWindowMs: 15 * 60_000,
  missingPollsToResolve: 3,
  missingPollsWithoutHistory: 10,
  closedRetentionMs: CLOSED_SUBJECT_DETAIL_MS,
  reopenWindowMs: REOPEN_WINDOW_MS,
  maxClosedRecords: MAX_CLOSED_RECORDS,
  failureSignalThreshold: 3,
  historyGraceMs: 10 * 60_000,
  probeFailuresToOpen: 3,
  probeRecoveriesToClose: 2,
  reportThreshold: 5,
  reportBaselineFactor: 3,
  reportHoldMs: 15 * 60_000,
};

/** The working set of one successful poll; the per-kind reconcilers mutate only `subjects`/`events`. */
export interface PollContext {
  serviceId: string;
  serviceName: string;
  snapshot: Snapshot;
  policy: ReconcilePolicy;
  /** No baseline yet: record everything, emit nothing (rule 2). */
  firstPoll: boolean;
  /** fetchedAt of the previous successful poll, if any. */
  lastPollAt?: string;
  nowMs: number;
  /** A private copy of the previous subjects, updated in place. */
  subjects: Record<string, TrackedSubject>;
  /** A private copy of the previous closed records (ServiceState.closed), updated in place. */
  closed: Record<string, string>;
  previousComponents: ServiceState['components'];
  events: IncidentEvent[];
  /** Probe sources: the run of checks so far, replaced by reconcileProbe. */
  probe?: ProbeTrack;
  /** The reports feed: its open incident's memory, replaced by reconcileReports. */
  reports?: ReportsTrack;
}

export interface EmitExtras {
  update?: IncidentUpdate;
  combined?: boolean;
  inferred?: boolean;
}

/** Appends one event whose id is `${serviceId}:${subject.id}:${type}:${key}`. */
export const emit = (
  ctx: PollContext,
  type: IncidentEventType,
  subject: EventSubject,
  key: string,
  extras: EmitExtras = {},
): void => {
  const event: IncidentEvent = {
    id: eventId(ctx.serviceId, subject.id, type, key),
    type,
    serviceId: ctx.serviceId,
    serviceName: ctx.serviceName,
    threadKey: threadKey(ctx.serviceId, subject.id),
    subject: { ...subject, components: [...subject.components] },
    at: extras.update?.at ?? ctx.snapshot.fetchedAt,
  };
  if (extras.update) event.update = extras.update;
  if (extras.combined) event.combined = true;
  if (extras.inferred) event.inferred = true;
  ctx.events.push(event);
};

/** An update the bot writes itself (no feed update to carry), timed at this poll. */
export const syntheticUpdate = (
  ctx: PollContext,
  id: string,
  status: IncidentUpdate['status'],
  body: string,
): IncidentUpdate => ({ id, status, body, at: ctx.snapshot.fetchedAt });

/** `${label}@${epoch ms of this poll}`: unique per poll, identical when the poll is re-run. */
/**
 * A synthetic subject (probe, reports) that failed again within the flap window: the same thread
 * reopens (rule 7) with `body` as its update, and the subject is open again under `title`.
 */
export const reopenFlapping = (
  ctx: PollContext,
  flapping: TrackedSubject,
  body: string,
  title: string = flapping.subject.title,
): void => {
  const update = syntheticUpdate(ctx, pollKey(ctx, 'reopened'), 'investigating', body);
  const { resolvedAt: _resolvedAt, ...rest } = flapping.subject;
  flapping.subject = { ...rest, title, status: 'investigating' };
  delete flapping.closedAt;
  flapping.lastUpdate = update;
  emit(ctx, 'reopened', flapping.subject, update.id, { update });
};

export const pollKey = (ctx: PollContext, label: string): string =>
  `${label}@${epochMs(ctx.snapshot.fetchedAt)}`;

/**
 * Impact and components in subjects only grow over a thread's life, so a router decision taken
 * on the start (min impact, components) never flips for its updates and resolution.
 */
export const peakImpact = (a: Impact, b: Impact): Impact => (impactRank(b) > impactRank(a) ? b : a);

export const unionNames = (a: readonly string[], b: readonly string[]): string[] => {
  const out = [...a];
  const lower = new Set(a.map((n) => n.toLowerCase()));
  for (const name of b) {
    if (lower.has(name.toLowerCase())) continue;
    lower.add(name.toLowerCase());
    out.push(name);
  }
  return out;
};

/** Closed subjects and when, in ms; an unparseable closedAt counts as long ago. */
export const closedAgoMs = (ctx: PollContext, tracked: TrackedSubject): number | undefined => {
  if (tracked.closedAt === undefined) return undefined;
  const at = epochMs(tracked.closedAt);
  return Number.isFinite(at) ? ctx.nowMs - at : Number.POSITIVE_INFINITY;
};

/**
 * Records a subject as seen in this poll: every update id of the feed's item (so none is
 * announced twice), the latest update, and missing counts reset.
 */
export const trackSeen = (
  ctx: PollContext,
  item: { id: string; updates: readonly IncidentUpdate[] },
  subject: EventSubject,
  previous?: TrackedSubject,
): TrackedSubject => {
  const seen = new Set(previous?.seenUpdateIds ?? []);
  for (const update of item.updates) seen.add(update.id);
  const tracked: TrackedSubject = { subject, seenUpdateIds: [...seen], missingPolls: 0 };
  const lastUpdate = item.updates.at(-1) ?? previous?.lastUpdate;
  if (lastUpdate) tracked.lastUpdate = lastUpdate;
  ctx.subjects[item.id] = tracked;
  return tracked;
};
