import { epochMs, openingEvent } from './event-ids.js';
import type { EventSubject, Incident, IncidentUpdate } from './model.js';
import { impactRank } from './model.js';
import {
  closedAgoMs,
  emit,
  type PollContext,
  peakImpact,
  pollKey,
  syntheticUpdate,
  trackSeen,
  unionNames,
} from './reconcile-context.js';
import type { TrackedSubject } from './state.js';

/** The page's own incidents: not made from a component, a probe or user reports. */
export const isOfficialIncident = (t: TrackedSubject): boolean =>
  t.subject.kind === 'incident' && t.subject.origin === 'status_page';

/** Official incidents open now, or closed within the flap window (their components may lag). */
export const coveringIncidents = (ctx: PollContext): EventSubject[] =>
  Object.values(ctx.subjects)
    .filter((t) => isOfficialIncident(t))
    .filter((t) => (closedAgoMs(ctx, t) ?? 0) <= ctx.policy.flapWindowMs)
    .map((t) => t.subject);

/**
 * Rules 1, 2, 3, 5 and 7 for the page's incidents. Every event carries the subject as observed
 * in this poll; each update carries its own status.
 */
export const reconcileIncidents = (ctx: PollContext): void => {
  const listed = new Set<string>();
  for (const incident of ctx.snapshot.incidents) {
    if (listed.has(incident.id)) continue;
    listed.add(incident.id);
    const tracked = ctx.subjects[incident.id];
    if (ctx.firstPoll) track(ctx, incident, toSubject(incident), baselineClosedAt(ctx, incident));
    else if (!tracked) onNew(ctx, incident);
    else if (isOfficialIncident(tracked)) onListed(ctx, tracked, incident);
  }
  if (ctx.firstPoll) return;
  for (const tracked of Object.values(ctx.subjects)) {
    if (!isOfficialIncident(tracked) || tracked.closedAt !== undefined) continue;
    if (!listed.has(tracked.subject.id)) onMissing(ctx, tracked);
  }
};

const toSubject = (incident: Incident, previous?: EventSubject): EventSubject => {
  const subject: EventSubject = {
    kind: 'incident',
    id: incident.id,
    title: incident.title,
    status: incident.status,
    impact: previous ? peakImpact(previous.impact, incident.impact) : incident.impact,
    components: unionNames(previous?.components ?? [], incident.components),
    startedAt: incident.startedAt,
    origin: incident.origin,
  };
  if (incident.status === 'resolved') {
    subject.resolvedAt = incident.resolvedAt ?? resolvingUpdate(incident)?.at ?? incident.startedAt;
  }
  if (incident.url) subject.url = incident.url;
  return subject;
};

const track = (
  ctx: PollContext,
  incident: Incident,
  subject: EventSubject,
  closedAt: string | undefined,
  previous?: TrackedSubject,
): void => {
  const tracked = trackSeen(ctx, incident, subject, previous);
  if (closedAt !== undefined) tracked.closedAt = closedAt;
};

/** Old history closes at its own resolution time, so retention forgets it on schedule. */
const baselineClosedAt = (ctx: PollContext, incident: Incident): string | undefined =>
  incident.status === 'resolved' ? (incident.resolvedAt ?? ctx.snapshot.fetchedAt) : undefined;

const resolvingUpdate = (incident: Incident): IncidentUpdate | undefined =>
  incident.updates.findLast((u) => u.status === 'resolved') ?? incident.updates.at(-1);

const onNew = (ctx: PollContext, incident: Incident): void => {
  const subject = toSubject(incident);
  const opening = openingEvent(subject).key;
  if (ctx.closed[incident.id] !== undefined) {
    // Closed long ago (only its closed record is left): open again is a reopen of its old
    // thread; still resolved is old history (a postmortem, say), not news.
    if (incident.status !== 'resolved') reopenAfterRetention(ctx, incident, subject);
  } else if (incident.status !== 'resolved') {
    emit(ctx, 'started', subject, opening, { update: incident.updates.at(-1) });
    track(ctx, incident, subject, undefined);
  } else if (isFreshResolution(ctx, incident)) {
    // Rule 3: it started and ended between two polls: one combined message.
    emit(ctx, 'started', subject, opening, { update: resolvingUpdate(incident), combined: true });
    track(ctx, incident, subject, ctx.snapshot.fetchedAt);
  }
  // Else: history from before the previous poll (or forgotten after retention): not news.
};

/** Resolved after the previous poll (with grace for cached feeds), and within retention. */
const isFreshResolution = (ctx: PollContext, incident: Incident): boolean => {
  const resolvedMs = epochMs(
    incident.resolvedAt ?? incident.updates.at(-1)?.at ?? incident.startedAt,
  );
  const previousMs = ctx.lastPollAt === undefined ? ctx.nowMs : epochMs(ctx.lastPollAt);
  const since = Math.max(
    previousMs - ctx.policy.historyGraceMs,
    ctx.nowMs - ctx.policy.closedRetentionMs,
  );
  return resolvedMs >= since;
};

const onListed = (ctx: PollContext, tracked: TrackedSubject, incident: Incident): void => {
  const seen = new Set(tracked.seenUpdateIds);
  const fresh = incident.updates.filter((u) => !seen.has(u.id));
  const before = tracked.subject;
  const subject = toSubject(incident, before);
  if (incident.status === 'resolved') {
    if (tracked.closedAt === undefined) resolve(ctx, incident, subject, fresh);
    // Already closed: later updates (a postmortem) are recorded, not announced.
    track(ctx, incident, subject, tracked.closedAt ?? ctx.snapshot.fetchedAt, tracked);
    return;
  }
  if (tracked.closedAt !== undefined) {
    // Rule 7: the same incident open again goes to its existing thread.
    for (const update of fresh.slice(0, -1)) emit(ctx, 'updated', subject, update.id, { update });
    emitReopened(ctx, incident, subject, fresh.at(-1));
  } else {
    for (const update of fresh) emit(ctx, 'updated', subject, update.id, { update });
    if (fresh.length === 0) announceQuietChange(ctx, before, subject);
  }
  track(ctx, incident, subject, undefined, tracked);
};

/** One `reopened` event carrying the update that reopened it (or a line of ours if none came). */
const emitReopened = (
  ctx: PollContext,
  incident: Incident,
  subject: EventSubject,
  reopening: IncidentUpdate | undefined,
): void => {
  const update =
    reopening ??
    syntheticUpdate(
      ctx,
      pollKey(ctx, 'reopened'),
      incident.status,
      `Reopened: this incident is ${incident.status} again.`,
    );
  emit(ctx, 'reopened', subject, update.id, { update });
};

/**
 * Which of its updates are new cannot be told any more, so only the latest one is announced,
 * as the reopening; the others are recorded as seen.
 */
const reopenAfterRetention = (ctx: PollContext, incident: Incident, subject: EventSubject) => {
  emitReopened(ctx, incident, subject, incident.updates.at(-1));
  delete ctx.closed[incident.id];
  track(ctx, incident, subject, undefined);
};

/** A status change or impact escalation that came without an update of its own. */
const announceQuietChange = (ctx: PollContext, before: EventSubject, subject: EventSubject) => {
  if (before.status !== subject.status) {
    const body = `Status changed to ${subject.status}.`;
    const update = syntheticUpdate(ctx, pollKey(ctx, subject.status), subject.status, body);
    emit(ctx, 'updated', subject, update.id, { update });
  } else if (impactRank(subject.impact) > impactRank(before.impact)) {
    const body = `Impact raised to ${subject.impact}.`;
    const update = syntheticUpdate(ctx, `impact:${subject.impact}`, subject.status, body);
    emit(ctx, 'updated', subject, update.id, { update });
  }
};

/** Updates that came before the resolving one are announced first, then the resolution. */
const resolve = (
  ctx: PollContext,
  incident: Incident,
  subject: EventSubject,
  fresh: IncidentUpdate[],
): void => {
  const resolving =
    fresh.findLast((u) => u.status === 'resolved') ??
    incident.updates.findLast((u) => u.status === 'resolved') ??
    fresh.at(-1);
  const cut = resolving && fresh.includes(resolving) ? fresh.indexOf(resolving) : fresh.length;
  for (const update of fresh.slice(0, cut)) emit(ctx, 'updated', subject, update.id, { update });
  const key = resolving?.id ?? pollKey(ctx, 'resolved');
  emit(ctx, 'resolved', subject, key, { update: resolving });
};

/**
 * Rule 5: gone from the summary is not resolved until the history also stops listing it. When
 * the history cannot be read, only a longer absence from the summary resolves it, so a page whose
 * incidents.json is missing or keeps failing does not hold a thread open forever. Being listed
 * again (summary, or history as open) re-tracks the incident, which resets both counts.
 */
const onMissing = (ctx: PollContext, tracked: TrackedSubject): void => {
  const { resolutionsKnown } = ctx.snapshot;
  const { missingPollsToResolve, missingPollsWithoutHistory } = ctx.policy;
  tracked.absentPolls = (tracked.absentPolls ?? 0) + 1;
  if (resolutionsKnown) tracked.missingPolls += 1;
  const confirmed = resolutionsKnown && tracked.missingPolls >= missingPollsToResolve;
  if (!confirmed && tracked.absentPolls < missingPollsWithoutHistory) return;
  const body = confirmed
    ? 'No longer listed on the status page.'
    : 'No longer listed on the status page (its incident history could not be read).';
  const update = syntheticUpdate(ctx, pollKey(ctx, 'missing'), 'resolved', body);
  tracked.subject = { ...tracked.subject, status: 'resolved', resolvedAt: update.at };
  tracked.closedAt = update.at;
  tracked.lastUpdate = update;
  emit(ctx, 'resolved', tracked.subject, update.id, { update, inferred: true });
};
