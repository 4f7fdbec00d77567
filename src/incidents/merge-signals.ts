import { confidenceRank, moreCertain } from './confidence.js';
import { epochMs, eventId } from './event-ids.js';
import { formatDuration, humanStatus } from './format.js';
import type {
  Confidence,
  EarlySignal,
  EventSubject,
  IncidentEvent,
  IncidentUpdate,
} from './model.js';
import { peakImpact, unionNames } from './reconcile-context.js';
import {
  emptySignals,
  type PageLagRecord,
  type SignalGroup,
  type SignalKind,
  type SignalMember,
  type SignalState,
  signalKindOf,
} from './signal-state.js';

/** Knobs of the merge; every one has a default in DEFAULT_SIGNAL_POLICY. */
export interface SignalPolicy {
  /** A signal joins the open incident, or one closed at most this long ago (reopening it). */
  windowMs: number;
  /** An incident only early signals hold resolves once every one has been clear this long. */
  holdMs: number;
  /** Page-lag records are kept this long after the incident closed. */
  lagRetentionMs: number;
  /** At most this many page-lag records per service, the most recent. */
  maxLagRecords: number;
}

export const DEFAULT_SIGNAL_POLICY: SignalPolicy = {
  windowMs: 30 * 60_000,
  holdMs: 10 * 60_000,
  lagRetentionMs: 90 * 86_400_000,
  maxLagRecords: 500,
};

export interface MergeInput {
  serviceId: string;
  serviceName: string;
  /** The feed whose poll produced `events` (src/sources/feeds.ts). */
  feedKey: string;
  events: readonly IncidentEvent[];
  /** When that poll observed. */
  at: string;
}

export interface MergeResult {
  state: SignalState;
  events: IncidentEvent[];
}

/**
 * One service, several feeds, one incident. Pure: each feed's events (after that feed's own
 * reconcile) are mapped onto the service-level incident they belong to, so that a probe failing,
 * users reporting and the provider's incident arriving later share one thread: the first
 * signal's start is the start message, every later signal is one reply, and a signal that makes
 * the incident more certain is a `confirmed` event (reply + start message edited). Official
 * incidents never merge with each other: a group holds at most one provider incident.
 *
 * The group resolves when the provider resolves it, or, with no provider incident in it, once
 * every early signal has been clear for `holdMs`. Event ids stay those reconcile gave (they are
 * unique and deterministic); only type, thread key, subject and update text change.
 */
export const mergeSignals = (
  previous: SignalState | undefined,
  input: MergeInput,
  policy: SignalPolicy = DEFAULT_SIGNAL_POLICY,
): MergeResult => {
  const state = previous ? structuredClone(previous) : emptySignals(input.serviceId);
  const out: IncidentEvent[] = [];
  for (const event of input.events) {
    const merged =
      event.subject.kind === 'incident' ? mergeOne(state, input, event, policy) : event;
    if (merged) out.push(merged);
  }
  out.push(...closeQuietGroups(state, input, policy));
  forget(state, input.at, policy);
  return { state, events: out };
};

const nowMs = (input: MergeInput): number => epochMs(input.at);

function mergeOne(
  state: SignalState,
  input: MergeInput,
  event: IncidentEvent,
  policy: SignalPolicy,
): IncidentEvent | undefined {
  const found = findMember(state, input.feedKey, event.subject.id);
  if (!found) {
    if ((event.type !== 'started' && event.type !== 'reopened') || event.combined) return event;
    return join(state, input, event, policy);
  }
  const { group, member } = found;
  member.subject = event.subject;
  const opener = group.members[0] === member;
  switch (event.type) {
    case 'started':
      // Only a re-run: the opener's start is the thread's, anyone else's already was a reply.
      return opener ? inGroup(group, event, event.type, opener) : inGroup(group, event, 'updated');
    case 'resolved':
      member.closedAt = input.at;
      return memberClosed(state, input, group, member, event, policy);
    case 'reopened': {
      delete member.closedAt;
      delete group.quietSince;
      if (group.closedAt === undefined) return inGroup(group, event, 'updated');
      delete group.closedAt;
      delete group.resolvedAt;
      return inGroup(group, event, 'reopened');
    }
    default:
      return inGroup(group, event, 'updated', opener);
  }
}

/** A feed's incident not merged yet: into the open group it belongs to, or a group of its own. */
function join(
  state: SignalState,
  input: MergeInput,
  event: IncidentEvent,
  policy: SignalPolicy,
): IncidentEvent {
  const kind = signalKindOf(event.subject.origin);
  const member: SignalMember = {
    feedKey: input.feedKey,
    kind,
    subject: event.subject,
    joinedAt: input.at,
  };
  const group = groupToJoin(state, kind, nowMs(input), policy);
  if (!group) {
    const opened: SignalGroup = {
      threadKey: event.threadKey,
      members: [member],
      confidence: kind === 'official' ? 'provider' : 'suspected',
      firstSignalAt: event.subject.startedAt,
    };
    if (kind === 'official') opened.officialAt = input.at;
    state.groups.push(opened);
    return inGroup(opened, event, event.type, true);
  }
  const before = group.confidence;
  group.members.push(member);
  group.confidence = moreCertain(before, confidenceFrom(group.members));
  if (kind === 'official' && group.officialAt === undefined) group.officialAt = input.at;
  delete group.quietSince;
  if (group.closedAt !== undefined) {
    delete group.closedAt;
    delete group.resolvedAt;
    return inGroup(group, event, 'reopened');
  }
  if (confidenceRank(group.confidence) > confidenceRank(before) && annotated(group)) {
    const confirmed = inGroup(group, event, 'confirmed');
    if (before === 'suspected') confirmed.confirmedNow = true;
    return confirmed;
  }
  return inGroup(group, event, 'updated');
}

/** The most recent group a new signal of this kind may join: open, or closed within the window. */
function groupToJoin(
  state: SignalState,
  kind: SignalKind,
  now: number,
  policy: SignalPolicy,
): SignalGroup | undefined {
  for (const group of [...state.groups].reverse()) {
    const recent = group.closedAt === undefined || now - epochMs(group.closedAt) <= policy.windowMs;
    if (!recent) continue;
    if (kind === 'official' && group.members.some((m) => m.kind === 'official')) continue;
    return group;
  }
  return undefined;
}

function memberClosed(
  state: SignalState,
  input: MergeInput,
  group: SignalGroup,
  member: SignalMember,
  event: IncidentEvent,
  policy: SignalPolicy,
): IncidentEvent {
  if (group.closedAt !== undefined) return inGroup(group, event, 'updated');
  const officialOpen = group.members.some((m) => m.kind === 'official' && m.closedAt === undefined);
  const providerResolved = member.kind === 'official' && !officialOpen;
  const allClear = group.members.every((m) => m.closedAt !== undefined);
  if (providerResolved || (allClear && !officialOpen && policy.holdMs <= 0)) {
    closeGroup(state, group, input.at, event.subject.resolvedAt ?? input.at);
    return inGroup(group, event, 'resolved', group.members[0] === member);
  }
  if (allClear && !officialOpen) group.quietSince = input.at;
  // One signal clearing is not the end of the incident: the thread says it is being watched.
  const update = inGroup(group, event, 'updated');
  if (update.update?.status === 'resolved')
    update.update = { ...update.update, status: 'monitoring' };
  return update;
}

/** Groups whose early signals have all stayed clear for the hold time resolve now. */
function closeQuietGroups(
  state: SignalState,
  input: MergeInput,
  policy: SignalPolicy,
): IncidentEvent[] {
  const events: IncidentEvent[] = [];
  for (const group of state.groups) {
    if (group.closedAt !== undefined || group.quietSince === undefined) continue;
    if (nowMs(input) - epochMs(group.quietSince) < policy.holdMs) continue;
    const quietSince = group.quietSince;
    closeGroup(state, group, input.at, quietSince);
    const subject = groupSubject(group);
    const key = `signals-clear@${epochMs(quietSince)}`;
    const update: IncidentUpdate = {
      id: key,
      status: 'resolved',
      body: `Every signal has been clear for ${formatDuration(policy.holdMs)}: ${clearWords(subject.evidence ?? [])}.`,
      at: input.at,
    };
    events.push({
      id: eventId(input.serviceId, subject.id, 'resolved', key),
      type: 'resolved',
      serviceId: input.serviceId,
      serviceName: input.serviceName,
      threadKey: group.threadKey,
      subject,
      update,
      at: input.at,
    });
  }
  return events;
}

const clearWords = (evidence: readonly EarlySignal[]): string => {
  const words = evidence.map((kind) => (kind === 'probe' ? 'probes healthy' : 'reports normal'));
  return words.length > 0 ? words.join(' and ') : 'nothing left failing';
};

function closeGroup(state: SignalState, group: SignalGroup, at: string, resolvedAt: string): void {
  group.closedAt = at;
  group.resolvedAt = resolvedAt;
  delete group.quietSince;
  if (!annotated(group)) return;
  const record: PageLagRecord = {
    threadKey: group.threadKey,
    firstSignalAt: group.firstSignalAt,
    closedAt: at,
  };
  if (group.officialAt !== undefined) record.officialAt = group.officialAt;
  // A group that reopened and closed again is one outage: its record is replaced.
  state.lag = [...state.lag.filter((r) => r.threadKey !== group.threadKey), record];
}

function forget(state: SignalState, at: string, policy: SignalPolicy): void {
  const now = epochMs(at);
  state.groups = state.groups.filter(
    (g) =>
      g.closedAt === undefined ||
      now - epochMs(g.closedAt) <= policy.windowMs ||
      g.members.some((m) => m.closedAt === undefined),
  );
  state.lag = state.lag
    .filter((r) => now - epochMs(r.closedAt) <= policy.lagRetentionMs)
    .slice(-policy.maxLagRecords);
}

function findMember(
  state: SignalState,
  feedKey: string,
  subjectId: string,
): { group: SignalGroup; member: SignalMember } | undefined {
  for (const group of state.groups) {
    const member = group.members.find((m) => m.feedKey === feedKey && m.subject.id === subjectId);
    if (member) return { group, member };
  }
  return undefined;
}

/** Early signals opened it: the start message shows the confidence (and is edited as it grows). */
const annotated = (group: SignalGroup): boolean => group.members[0]?.kind !== 'official';

function confidenceFrom(members: readonly SignalMember[]): Confidence {
  if (members.some((m) => m.kind === 'official')) return 'provider';
  const early = new Set(members.map((m) => m.feedKey));
  return early.size >= 2 ? 'confirmed' : 'suspected';
}

/**
 * The subject the thread shows: the provider's incident once it is in (its title, status, link),
 * else the opener's; the first signal's start; the peak impact and every component.
 */
export function groupSubject(group: SignalGroup): EventSubject {
  const [opener, ...rest] = group.members;
  if (!opener) throw new Error('signal group without members');
  const official = group.members.find((m) => m.kind === 'official');
  const base = official?.subject ?? opener.subject;
  const { resolvedAt: _resolvedAt, ...open } = base;
  const subject: EventSubject = {
    ...open,
    id: opener.subject.id,
    origin: opener.subject.origin,
    startedAt: group.firstSignalAt,
    status: base.status === 'resolved' ? 'investigating' : base.status,
    impact: rest.reduce((impact, m) => peakImpact(impact, m.subject.impact), opener.subject.impact),
    components: rest.reduce(
      (names, m) => unionNames(names, m.subject.components),
      [...opener.subject.components],
    ),
  };
  if (group.closedAt !== undefined) {
    subject.status = 'resolved';
    subject.resolvedAt = group.resolvedAt ?? group.closedAt;
  }
  if (annotated(group)) {
    subject.confidence = group.confidence;
    const evidence: EarlySignal[] = [];
    for (const m of group.members) {
      if (m.kind !== 'official' && !evidence.includes(m.kind)) evidence.push(m.kind);
    }
    subject.evidence = evidence;
  }
  return subject;
}

const LABELS: Record<SignalKind, string> = {
  probe: 'Probe',
  reports: 'Reports',
  official: 'Official',
};

/**
 * The event as its group's thread shows it. A plain official incident's own events are left
 * as they are; anything else is labelled with the signal it comes from, once.
 */
function inGroup(
  group: SignalGroup,
  event: IncidentEvent,
  type: IncidentEvent['type'],
  asIs = false,
): IncidentEvent {
  const plain = asIs && !annotated(group);
  const merged: IncidentEvent = {
    ...event,
    type,
    threadKey: group.threadKey,
    subject: plain ? event.subject : groupSubject(group),
  };
  if (type !== 'started') delete merged.combined;
  const member = group.members.find((m) => m.subject.id === event.subject.id);
  if (!plain && member) merged.update = labelled(member.kind, event);
  return merged;
}

function labelled(kind: SignalKind, event: IncidentEvent): IncidentUpdate {
  const status = event.update?.status ?? event.subject.status;
  const text =
    kind === 'official'
      ? [`${humanStatus(status)}: ${event.subject.title}`, event.update?.body]
          .filter(Boolean)
          .join('\n')
      : (event.update?.body ?? event.subject.title);
  const label = LABELS[kind];
  const body = text.toLowerCase().startsWith(label.toLowerCase()) ? text : `${label}: ${text}`;
  return {
    id: event.update?.id ?? `${event.type}@${epochMs(event.at)}`,
    status,
    body,
    at: event.update?.at ?? event.at,
  };
}

/**
 * Opening events (a new subscription, a catch-up) as the merged threads have them: a subject that
 * opened a group starts the group's thread, showing the group; one that joined a group is already
 * in that thread, so it opens nothing. Subjects are found by id across feeds.
 */
export function signalStarts(
  state: SignalState,
  events: readonly IncidentEvent[],
): IncidentEvent[] {
  const out: IncidentEvent[] = [];
  for (const event of events) {
    const group = state.groups.find((g) =>
      g.members.some((m) => m.subject.id === event.subject.id),
    );
    if (!group) {
      out.push(event);
      continue;
    }
    if (group.closedAt !== undefined || group.members[0]?.subject.id !== event.subject.id) continue;
    out.push(annotated(group) ? { ...event, subject: groupSubject(group) } : event);
  }
  return out;
}
