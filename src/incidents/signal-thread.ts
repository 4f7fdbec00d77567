import { epochMs } from './event-ids.js';
import { formatDuration, humanStatus } from './format.js';
import type { EarlySignal, EventSubject, IncidentEvent, IncidentUpdate } from './model.js';
import { peakImpact, unionNames } from './reconcile-context.js';
import type { SignalGroup, SignalKind, SignalState } from './signal-state.js';

/**
 * How a merged incident reads in its thread (merge-signals.ts decides which incident an event
 * belongs to and what it does to it): the subject the start message shows, each signal's line
 * labelled with where it came from, and the starts a new subscription is shown.
 */

export const clearWords = (evidence: readonly EarlySignal[]): string => {
  const words = evidence.map((kind) => (kind === 'probe' ? 'probes healthy' : 'reports normal'));
  return words.length > 0 ? words.join(' and ') : 'nothing left failing';
};

/** Why a signal outliving its provider-resolved incident opens a new one. */
export const stillFailingWords = (
  evidence: readonly EarlySignal[],
  sinceResolvedMs: number,
  resolvedTitle: string,
): string => {
  const words = evidence.map((kind) =>
    kind === 'probe' ? "outage-bot's probe still fails" : 'people still report problems',
  );
  return `${words.join(' and ')} ${formatDuration(sinceResolvedMs)} after the provider resolved "${resolvedTitle}".`;
};

/** Early signals opened it: the start message shows the confidence (and is edited as it grows). */
export const annotated = (group: SignalGroup): boolean => group.members[0]?.kind !== 'official';

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
export function inGroup(
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
    // Most recent first: a signal that outlived its provider-resolved thread opened a newer one.
    const group = [...state.groups]
      .reverse()
      .find((g) => g.members.some((m) => m.subject.id === event.subject.id));
    if (!group) {
      out.push(event);
      continue;
    }
    if (group.closedAt !== undefined || group.members[0]?.subject.id !== event.subject.id) continue;
    // The group's key: a signal that outlived its provider-resolved thread opened another.
    const threadKey = group.threadKey;
    out.push(annotated(group) ? { ...event, threadKey, subject: groupSubject(group) } : event);
  }
  return out;
}
