import { openingEvent } from './event-ids.js';
import type {
  EventSubject,
  IncidentEventType,
  IncidentUpdate,
  Maintenance,
  MaintenanceStatus,
} from './model.js';
import {
  emit,
  type PollContext,
  peakImpact,
  pollKey,
  syntheticUpdate,
  trackSeen,
  unionNames,
} from './reconcile-context.js';
import type { TrackedSubject } from './state.js';

const RANK: Record<MaintenanceStatus, number> = { scheduled: 0, in_progress: 1, completed: 2 };

const TRANSITION: Record<MaintenanceStatus, IncidentEventType> = {
  scheduled: 'maintenance_scheduled',
  in_progress: 'maintenance_started',
  completed: 'maintenance_completed',
};

/**
 * Scheduled maintenance: one thread from `maintenance_scheduled` (or `maintenance_started` when
 * first seen running) to `maintenance_completed`. Status only moves forward. A maintenance first
 * seen already completed is planned work that is over: it is not news and is not tracked.
 */
export const reconcileMaintenances = (ctx: PollContext): void => {
  const listed = new Set<string>();
  for (const maintenance of ctx.snapshot.maintenances) {
    if (listed.has(maintenance.id)) continue;
    listed.add(maintenance.id);
    const tracked = ctx.subjects[maintenance.id];
    if (!tracked) onNew(ctx, maintenance);
    else if (tracked.subject.kind === 'maintenance' && tracked.closedAt === undefined) {
      onListed(ctx, tracked, maintenance);
    }
  }
  if (ctx.firstPoll) return;
  for (const tracked of Object.values(ctx.subjects)) {
    if (tracked.subject.kind !== 'maintenance' || tracked.closedAt !== undefined) continue;
    if (!listed.has(tracked.subject.id)) onMissing(ctx, tracked);
  }
};

const toSubject = (
  maintenance: Maintenance,
  status: MaintenanceStatus,
  previous?: EventSubject,
): EventSubject => {
  const subject: EventSubject = {
    kind: 'maintenance',
    id: maintenance.id,
    title: maintenance.title,
    status,
    impact: previous ? peakImpact(previous.impact, maintenance.impact) : maintenance.impact,
    components: unionNames(previous?.components ?? [], maintenance.components),
    startedAt: maintenance.scheduledFor,
    scheduledFor: maintenance.scheduledFor,
    origin: 'status_page',
  };
  if (maintenance.scheduledUntil) subject.scheduledUntil = maintenance.scheduledUntil;
  if (maintenance.url) subject.url = maintenance.url;
  return subject;
};

const track = (
  ctx: PollContext,
  maintenance: Maintenance,
  subject: EventSubject,
  previous?: TrackedSubject,
): TrackedSubject => trackSeen(ctx, maintenance, subject, previous);

const onNew = (ctx: PollContext, maintenance: Maintenance): void => {
  if (maintenance.status === 'completed') return;
  const subject = toSubject(maintenance, maintenance.status);
  track(ctx, maintenance, subject);
  if (ctx.firstPoll) return;
  const { type, key } = openingEvent(subject);
  emit(ctx, type, subject, key, { update: maintenance.updates.at(-1) });
};

const onListed = (ctx: PollContext, tracked: TrackedSubject, maintenance: Maintenance): void => {
  const before = tracked.subject.status as MaintenanceStatus;
  const advanced = RANK[maintenance.status] > RANK[before];
  const status = advanced ? maintenance.status : before;
  const subject = toSubject(maintenance, status, tracked.subject);
  if (status === 'completed') {
    subject.resolvedAt =
      maintenance.updates.findLast((u) => u.status === 'completed')?.at ?? ctx.snapshot.fetchedAt;
  }
  const seen = new Set(tracked.seenUpdateIds);
  const fresh = maintenance.updates.filter((u) => !seen.has(u.id));
  // The first new update carrying the new status is the transition's text.
  const carrier = advanced ? fresh.find((u) => u.status === status) : undefined;
  for (const update of fresh) {
    if (update === carrier) transition(ctx, subject, update);
    else emit(ctx, 'updated', subject, update.id, { update });
  }
  if (advanced && !carrier) transition(ctx, subject, undefined);
  const next = track(ctx, maintenance, subject, tracked);
  if (status === 'completed') next.closedAt = ctx.snapshot.fetchedAt;
};

const transition = (ctx: PollContext, subject: EventSubject, update?: IncidentUpdate): void => {
  const status = subject.status as MaintenanceStatus;
  emit(ctx, TRANSITION[status], subject, status, { update });
};

/**
 * Statuspage lists upcoming and running maintenances; one that leaves the list is over. Some pages
 * (incident.io) list them only in the history, and the snapshot does not say which list carried
 * one, so a poll that could not read the history neither counts nor resets the absence.
 */
const onMissing = (ctx: PollContext, tracked: TrackedSubject): void => {
  if (!ctx.snapshot.resolutionsKnown) return;
  tracked.missingPolls += 1;
  if (tracked.missingPolls < ctx.policy.missingPollsToResolve) return;
  const body = 'No longer listed on the status page.';
  const update = syntheticUpdate(ctx, pollKey(ctx, 'missing'), 'completed', body);
  tracked.subject = { ...tracked.subject, status: 'completed', resolvedAt: update.at };
  tracked.closedAt = update.at;
  tracked.lastUpdate = update;
  emit(ctx, 'maintenance_completed', tracked.subject, update.id, { update, inferred: true });
};
