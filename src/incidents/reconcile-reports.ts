import { epochMs, openingEvent } from './event-ids.js';
import { formatDuration } from './format.js';
import type { EventSubject, ReportsObservation } from './model.js';
import {
  closedAgoMs,
  emit,
  type PollContext,
  pollKey,
  type ReconcilePolicy,
  reopenFlapping,
  syntheticUpdate,
} from './reconcile-context.js';
import type { ReportsTrack, TrackedSubject } from './state.js';

const HOUR_MS = 60 * 60_000;

export const REPORTS_TITLE = 'Users report problems';

/**
 * How many distinct reporters within the window are more than normal: the operator's threshold
 * (REPORT_THRESHOLD), or for a service that usually gets reports at this hour of the week, a
 * multiple of its usual count, whichever is higher. A popular service's daily grumbling stays
 * quiet; a small service's handful is news.
 */
export const reportLevel = (
  policy: Pick<ReconcilePolicy, 'reportThreshold' | 'reportBaselineFactor'>,
  observation: ReportsObservation,
): number => {
  const usual = ((observation.usualPerHour ?? 0) * observation.windowMs) / HOUR_MS;
  return Math.max(policy.reportThreshold, Math.ceil(policy.reportBaselineFactor * usual));
};

/**
 * User reports become an incident here (the reports feed, src/sources/reports.ts, only counts):
 * at least `reportLevel` people within the window open "users report problems", each doubling of
 * the count is an update ("42 reports in 10 min"), and counts back under the level for
 * `reportHoldMs` resolve it. Only the feed's own subjects are touched: reports never resolve an
 * official incident or a probe's. Busy again within the flap window reopens the thread (rule 7).
 */
export const reconcileReports = (ctx: PollContext, observation: ReportsObservation): void => {
  const level = reportLevel(ctx.policy, observation);
  const { reporters } = observation;
  const window = formatWindow(observation.windowMs);
  const track: ReportsTrack = { ...ctx.reports };
  ctx.reports = track;
  const open = findReportsSubject(ctx, 'open');
  const busy = reporters >= level;
  if (open) {
    if (!busy) {
      holdOrResolve(ctx, open, track, reporters, window);
      return;
    }
    delete track.normalSince;
    if (reporters < 2 * (track.announced ?? level)) return;
    const body = `${reporters} reports in ${window}.`;
    const update = syntheticUpdate(ctx, pollKey(ctx, 'grew'), 'investigating', body);
    open.lastUpdate = update;
    emit(ctx, 'updated', open.subject, update.id, { update });
    track.announced = reporters;
    return;
  }
  if (!busy) {
    delete track.announced;
    delete track.normalSince;
    return;
  }
  const body = startBody(ctx.serviceName, reporters, window, observation);
  track.announced = reporters;
  const flapping = findReportsSubject(ctx, 'flapping');
  if (flapping) {
    reopenFlapping(ctx, flapping, body);
    return;
  }
  const subject: EventSubject = {
    kind: 'incident',
    id: `reports:${ctx.nowMs}`,
    title: REPORTS_TITLE,
    status: 'investigating',
    // Unconfirmed: a subscription's default ping (major and up) stays silent for it.
    impact: 'minor',
    components: [],
    startedAt: ctx.snapshot.fetchedAt,
    origin: 'reports',
  };
  const update = syntheticUpdate(ctx, pollKey(ctx, 'busy'), 'investigating', body);
  ctx.subjects[subject.id] = { subject, seenUpdateIds: [], missingPolls: 0, lastUpdate: update };
  // Even on the feed's first poll: reports are this bot's own count, never old news, and several
  // people reporting before that poll must still reach the service's merged incident as a start.
  emit(ctx, 'started', subject, openingEvent(subject).key, { update });
};

function holdOrResolve(
  ctx: PollContext,
  open: TrackedSubject,
  track: ReportsTrack,
  reporters: number,
  window: string,
): void {
  track.normalSince ??= ctx.snapshot.fetchedAt;
  const normalFor = ctx.nowMs - epochMs(track.normalSince);
  if (normalFor < ctx.policy.reportHoldMs) return;
  const body = `Reports are back to normal (${reporters} in the last ${window}) for ${formatDuration(normalFor)}.`;
  const update = syntheticUpdate(ctx, pollKey(ctx, 'normal'), 'resolved', body);
  open.subject = { ...open.subject, status: 'resolved', resolvedAt: update.at };
  open.closedAt = update.at;
  open.lastUpdate = update;
  emit(ctx, 'resolved', open.subject, update.id, { update });
  delete track.announced;
  delete track.normalSince;
}

function startBody(
  serviceName: string,
  reporters: number,
  window: string,
  observation: ReportsObservation,
): string {
  const people = reporters === 1 ? '1 person' : `${reporters} people`;
  const lead = `${people} reported problems with ${serviceName} in the last ${window}`;
  const usual = observation.usualPerHour;
  if (usual === undefined) return `${lead}.`;
  const perWindow = (usual * observation.windowMs) / HOUR_MS;
  return `${lead} (usually ${perWindow < 1 ? 'fewer than 1' : `about ${Math.round(perWindow)}`} at this hour).`;
}

const findReportsSubject = (
  ctx: PollContext,
  which: 'open' | 'flapping',
): TrackedSubject | undefined => {
  let best: TrackedSubject | undefined;
  for (const tracked of Object.values(ctx.subjects)) {
    if (tracked.subject.origin !== 'reports') continue;
    const ago = closedAgoMs(ctx, tracked);
    if (which === 'open' && ago === undefined) return tracked;
    if (which === 'flapping' && ago !== undefined && ago <= ctx.policy.flapWindowMs) {
      if (!best || ago < (closedAgoMs(ctx, best) ?? Number.POSITIVE_INFINITY)) best = tracked;
    }
  }
  return best;
};

/** "10 min", "1h 30m": how the window reads in a message. */
export const formatWindow = (ms: number): string =>
  ms % 60_000 === 0 && ms < HOUR_MS ? `${ms / 60_000} min` : formatDuration(ms);
