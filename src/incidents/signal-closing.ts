import { epochMs, eventId, threadKey } from './event-ids.js';
import { formatDuration } from './format.js';
import type { MergeInput, SignalPolicy } from './merge-signals.js';
import type { IncidentEvent, IncidentUpdate } from './model.js';
import {
  confidenceFrom,
  type PageLagRecord,
  type SignalGroup,
  type SignalMember,
  type SignalState,
} from './signal-state.js';
import {
  annotated,
  clearWords,
  groupSubject,
  inGroup,
  stillFailingWords,
} from './signal-thread.js';

/**
 * How a merged incident ends (merge-signals.ts decides which incident each event belongs to):
 * when the provider resolves it, when every early signal has stayed clear for the hold time,
 * what becomes of early signals that outlive the provider's resolution, and how long a closed
 * incident is remembered. Pure, like the merge.
 */

const nowMs = (input: MergeInput): number => epochMs(input.at);

export function memberClosed(
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

/** An early signal still open in a thread the provider closed. */
export const lingering = (group: SignalGroup, member: SignalMember): boolean =>
  group.closedAt !== undefined && member.kind !== 'official' && member.closedAt === undefined;

/**
 * Early signals still failing a whole window after the provider resolved their incident: the
 * provider's word did not end what the bot sees, so they leave that thread (it stays resolved)
 * and open a new incident (suspected, or confirmed when probes and reports agree), which
 * resolves like any other once they clear.
 */
export function stillFailing(
  state: SignalState,
  input: MergeInput,
  policy: SignalPolicy,
): IncidentEvent[] {
  const events: IncidentEvent[] = [];
  for (const group of [...state.groups]) {
    if (group.closedAt === undefined) continue;
    const closedForMs = nowMs(input) - epochMs(group.closedAt);
    if (closedForMs <= policy.windowMs) continue;
    const left = group.members.filter((m) => lingering(group, m));
    const [first] = left;
    if (!first) continue;
    for (const member of left) member.closedAt = input.at;
    const members = left.map((m): SignalMember => {
      const { closedAt: _closedAt, ...open } = m;
      return { ...open, joinedAt: input.at };
    });
    const key = `still-failing@${nowMs(input)}`;
    const opened: SignalGroup = {
      threadKey: threadKey(input.serviceId, `${first.subject.id}:${key}`),
      members,
      confidence: confidenceFrom(members),
      firstSignalAt: first.subject.startedAt,
      follows: group.threadKey,
    };
    state.groups.push(opened);
    const subject = groupSubject(opened);
    const resolved = groupSubject(group);
    events.push({
      id: eventId(input.serviceId, first.subject.id, 'started', key),
      type: 'started',
      serviceId: input.serviceId,
      serviceName: input.serviceName,
      threadKey: opened.threadKey,
      subject,
      update: {
        id: key,
        status: 'investigating',
        body: stillFailingWords(subject.evidence ?? [], closedForMs, resolved.title),
        at: input.at,
      },
      at: input.at,
    });
  }
  return events;
}

/** Groups whose early signals have all stayed clear for the hold time resolve now. */
export function closeQuietGroups(
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

function closeGroup(state: SignalState, group: SignalGroup, at: string, resolvedAt: string): void {
  group.closedAt = at;
  group.resolvedAt = resolvedAt;
  delete group.quietSince;
  // What follows a provider-resolved outage is that outage's tail: its page already spoke.
  if (!annotated(group) || group.follows !== undefined) return;
  const record: PageLagRecord = {
    threadKey: group.threadKey,
    firstSignalAt: group.firstSignalAt,
    closedAt: at,
  };
  if (group.officialAt !== undefined) record.officialAt = group.officialAt;
  // A group that reopened and closed again is one outage: its record is replaced.
  state.lag = [...state.lag.filter((r) => r.threadKey !== group.threadKey), record];
}

export function forget(state: SignalState, at: string, policy: SignalPolicy): void {
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
