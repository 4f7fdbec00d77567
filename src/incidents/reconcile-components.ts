import { epochMs, openingEvent } from './event-ids.js';
import type { Component, ComponentStatus, EventSubject, Impact } from './model.js';
import {
  closedAgoMs,
  emit,
  type PollContext,
  peakImpact,
  pollKey,
  syntheticUpdate,
} from './reconcile-context.js';
import { coveringIncidents } from './reconcile-incidents.js';
import type { TrackedSubject } from './state.js';

/** Only these statuses open a component incident; under_maintenance is planned, not news. */
const DOWN_IMPACT: Partial<Record<ComponentStatus, Impact>> = {
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

const LABEL: Record<ComponentStatus, string> = {
  operational: 'operational',
  degraded_performance: 'degraded performance',
  partial_outage: 'partial outage',
  major_outage: 'major outage',
  under_maintenance: 'under maintenance',
};

interface ComponentSubjects {
  open?: TrackedSubject;
  /** The most recently closed one still inside the flap window. */
  flapping?: TrackedSubject;
}

/**
 * Rule 6 (and 7 for components). A component outside `operational` with no official incident
 * naming it becomes an incident of its own, id `component:<componentId>:<epoch ms of start>`:
 * the start time keeps a later, separate episode out of the old episode's thread.
 *
 * When an official incident names a component that has an open component incident, the
 * component incident is resolved with a pointer to the official one, which gets its own thread;
 * while an official incident naming the component is open (or closed less than the flap window
 * ago, as component statuses lag the incident), no component incident opens.
 */
export const reconcileComponents = (ctx: PollContext): void => {
  const coveredBy = new Map<string, EventSubject>();
  for (const incident of coveringIncidents(ctx)) {
    for (const name of incident.components) coveredBy.set(name.toLowerCase(), incident);
  }
  const index = indexByComponent(ctx);
  const listed = new Set<string>();
  for (const component of ctx.snapshot.components) {
    listed.add(component.id);
    const { open, flapping } = index.get(component.id) ?? {};
    const impact = DOWN_IMPACT[component.status];
    const covering = coveredBy.get(component.name.toLowerCase());
    if (open) open.missingPolls = 0;
    if (component.status === 'operational') {
      if (open) recover(ctx, open, component);
    } else if (!impact) {
      // under_maintenance: neither news nor recovery.
    } else if (covering) {
      if (open) supersede(ctx, open, component, covering);
    } else if (open) {
      changeStatus(ctx, open, component, impact);
    } else if (flapping) {
      reopen(ctx, flapping, component, impact);
    } else {
      degrade(ctx, component, impact);
    }
  }
  for (const [componentId, { open }] of index) {
    if (open && !listed.has(componentId)) onMissing(ctx, open);
  }
};

const indexByComponent = (ctx: PollContext): Map<string, ComponentSubjects> => {
  const index = new Map<string, ComponentSubjects>();
  for (const tracked of Object.values(ctx.subjects)) {
    if (tracked.componentId === undefined) continue;
    const entry = index.get(tracked.componentId) ?? {};
    index.set(tracked.componentId, entry);
    const ago = closedAgoMs(ctx, tracked);
    if (ago === undefined) entry.open = tracked;
    else if (ago <= ctx.policy.flapWindowMs) {
      const best = entry.flapping && closedAgoMs(ctx, entry.flapping);
      if (best === undefined || ago < best) entry.flapping = tracked;
    }
  }
  return index;
};

const titleFor = (component: Component): string => `${component.name}: ${LABEL[component.status]}`;

const degrade = (ctx: PollContext, component: Component, impact: Impact): void => {
  const at = ctx.snapshot.fetchedAt;
  const subject: EventSubject = {
    kind: 'incident',
    id: `component:${component.id}:${epochMs(at)}`,
    title: titleFor(component),
    status: 'investigating',
    impact,
    components: [component.name],
    startedAt: at,
    origin: 'component',
  };
  if (ctx.snapshot.pageUrl) subject.url = ctx.snapshot.pageUrl;
  const body = `The status page shows ${component.name} as ${LABEL[component.status]}, with no incident posted.`;
  const update = syntheticUpdate(ctx, pollKey(ctx, component.status), 'investigating', body);
  ctx.subjects[subject.id] = {
    subject,
    seenUpdateIds: [],
    missingPolls: 0,
    lastUpdate: update,
    componentId: component.id,
  };
  // Rule 2: on the first poll it is tracked (shown to new subscriptions), not announced.
  if (!ctx.firstPoll) emit(ctx, 'started', subject, openingEvent(subject).key, { update });
};

const changeStatus = (
  ctx: PollContext,
  open: TrackedSubject,
  component: Component,
  impact: Impact,
): void => {
  if (ctx.previousComponents[component.id]?.status === component.status) return;
  const body = `${component.name} is now ${LABEL[component.status]}.`;
  const update = syntheticUpdate(ctx, pollKey(ctx, component.status), 'investigating', body);
  open.subject = {
    ...open.subject,
    title: titleFor(component),
    impact: peakImpact(open.subject.impact, impact),
  };
  open.lastUpdate = update;
  emit(ctx, 'updated', open.subject, update.id, { update });
};

/** Rule 7: degraded again soon after recovering: the same thread, told it is back. */
const reopen = (ctx: PollContext, closed: TrackedSubject, component: Component, impact: Impact) => {
  const body = `${component.name} is ${LABEL[component.status]} again.`;
  const update = syntheticUpdate(ctx, pollKey(ctx, 'reopened'), 'investigating', body);
  const { resolvedAt: _resolvedAt, ...rest } = closed.subject;
  closed.subject = {
    ...rest,
    title: titleFor(component),
    status: 'investigating',
    impact: peakImpact(closed.subject.impact, impact),
  };
  delete closed.closedAt;
  closed.missingPolls = 0;
  closed.lastUpdate = update;
  emit(ctx, 'reopened', closed.subject, update.id, { update });
};

const close = (
  ctx: PollContext,
  open: TrackedSubject,
  updateKey: string,
  body: string,
  inferred = false,
): void => {
  const update = syntheticUpdate(ctx, updateKey, 'resolved', body);
  open.subject = { ...open.subject, status: 'resolved', resolvedAt: update.at };
  open.closedAt = update.at;
  open.lastUpdate = update;
  emit(ctx, 'resolved', open.subject, update.id, { update, inferred });
};

const recover = (ctx: PollContext, open: TrackedSubject, component: Component): void =>
  close(ctx, open, pollKey(ctx, 'operational'), `${component.name} is operational again.`);

const supersede = (
  ctx: PollContext,
  open: TrackedSubject,
  component: Component,
  by: EventSubject,
): void => {
  const body = `The status page opened an incident for ${component.name}: ${by.title}. It continues in its own thread.`;
  close(ctx, open, pollKey(ctx, `superseded:${by.id}`), body);
};

/** The component left the page: resolved after the same number of polls as an incident. */
const onMissing = (ctx: PollContext, open: TrackedSubject): void => {
  open.missingPolls += 1;
  if (open.missingPolls < ctx.policy.missingPollsToResolve) return;
  const name = open.subject.components[0] ?? open.subject.title;
  close(
    ctx,
    open,
    pollKey(ctx, 'missing'),
    `${name} is no longer listed on the status page.`,
    true,
  );
};
