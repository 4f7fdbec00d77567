import { confidenceRank, moreCertain } from './confidence.js';
import { epochMs } from './event-ids.js';
import type { IncidentEvent } from './model.js';
import {
  closeQuietGroups,
  forget,
  lingering,
  memberClosed,
  stillFailing,
} from './signal-closing.js';
import {
  confidenceFrom,
  emptySignals,
  type SignalGroup,
  type SignalKind,
  type SignalMember,
  type SignalState,
  signalKindOf,
} from './signal-state.js';
import { annotated, inGroup } from './signal-thread.js';

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
 * every early signal has been clear for `holdMs` (signal-closing.ts). Early signals still failing
 * when the provider resolved post nothing more there; past the window they open a new incident.
 * Event ids stay those reconcile gave (they are unique and deterministic); only type, thread key,
 * subject and update text change.
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
  out.push(...stillFailing(state, input, policy));
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
  if (lingering(group, member) && event.type !== 'started' && event.type !== 'reopened') {
    // The provider resolved this thread while a probe or reports still failed: a reply after
    // "Resolved" would read as if the outage went on there. Recorded, not posted; a signal
    // that outlasts the window becomes an incident of its own (stillFailing).
    if (event.type === 'resolved') member.closedAt = input.at;
    return undefined;
  }
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

function findMember(
  state: SignalState,
  feedKey: string,
  subjectId: string,
): { group: SignalGroup; member: SignalMember } | undefined {
  // Most recent first: a signal that outlasted its provider-resolved thread is in a newer one.
  for (const group of [...state.groups].reverse()) {
    const member = group.members.find((m) => m.feedKey === feedKey && m.subject.id === subjectId);
    if (member) return { group, member };
  }
  return undefined;
}
