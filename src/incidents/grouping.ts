import type { EventSubject, IncidentEvent } from './model.js';
import { isOver } from './thread-rules.js';

/**
 * Grouping of simultaneous starts (DESIGN.md rule 8), as pure functions over one channel's record.
 *
 * A burst opens with a start that finds no open burst in its channel: that start goes out at once
 * on its own (a lone outage is never held). Starts placed within `windowMs` of it join the burst;
 * while it has fewer than `minServices` members they are held, because a third may still come.
 * When the burst reaches `minServices` it becomes a group: the first member's start message is
 * edited into the group's message, listing every member, and every member's messages (its start
 * included) become replies in that one thread. A burst whose window passes without enough members
 * lapses: its held starts go out on their own. Each placement is final, so a retried delivery
 * lands where its first attempt was sent.
 */

export interface GroupingPolicy {
  /** Starts placed within this long of a burst's first one join it; 0 turns grouping off. */
  windowMs: number;
  /** How many services starting together make a group. */
  minServices: number;
}

export const DEFAULT_GROUPING: GroupingPolicy = { windowMs: 60_000, minServices: 3 };

/** One service's incident in a burst, as the group's message shows it. */
export interface GroupMember {
  /** The member's `Delivery.thread` in this channel. */
  thread: string;
  serviceId: string;
  serviceName: string;
  title: string;
  impact: EventSubject['impact'];
  startedAt: string;
  url?: string;
  /** Set while the member's incident is over. */
  resolvedAt?: string;
}

export interface Burst {
  /** The first member's thread: its start message is the group's root. */
  id: string;
  /** When the first member was placed (epoch ms); the window counts from here. */
  anchorMs: number;
  /** In the order they were placed; the first is the root's own. */
  members: GroupMember[];
  /** Enough members joined within the window: the root lists them all. */
  formed: boolean;
  /** The window passed without a group: its held members went out on their own. */
  lapsed?: boolean;
  /** When the last member of a formed group was over (it says so), unset while any is open. */
  endedAt?: string;
}

/** One channel's bursts, stored as one versioned document. */
export interface ChannelBursts {
  /** The burst new starts may join, if its window is still open. */
  current?: string;
  bursts: Record<string, Burst>;
}

export type Placement =
  /** Post your own start message now. */
  | { kind: 'alone' }
  /** Not yet: a group may still form; ask again by `untilMs` at the latest. */
  | { kind: 'hold'; untilMs: number }
  /** Reply in the group's thread (whose root is `group.id`'s start message). */
  | { kind: 'join'; group: Burst };

export interface RuleResult<T> {
  doc: ChannelBursts;
  /** False when `doc` is the input unchanged (nothing to write). */
  changed: boolean;
  value: T;
}

/** A formed group, or a burst that never formed, is forgotten this long after it ended. */
export const BURST_RETENTION_MS = 24 * 60 * 60_000;
/** A formed group whose members never all recover is forgotten after this. */
export const OPEN_GROUP_RETENTION_MS = 30 * 24 * 60 * 60_000;
/** At most this many bursts are kept per channel; the oldest that never formed go first. */
export const MAX_BURSTS = 200;

export const emptyBursts = (): ChannelBursts => ({ bursts: {} });

/** The member a delivery's event makes, for its thread in one channel. */
export const memberOf = (thread: string, event: IncidentEvent): GroupMember => {
  const s = event.subject;
  const member: GroupMember = {
    thread,
    serviceId: event.serviceId,
    serviceName: event.serviceName,
    title: s.title,
    impact: s.impact,
    startedAt: s.startedAt,
  };
  if (s.url) member.url = s.url;
  if (s.resolvedAt) member.resolvedAt = s.resolvedAt;
  return member;
};

/** Where a start goes in its channel, placed at `nowMs`. See the file comment for the rule. */
export function placeStart(
  input: ChannelBursts,
  member: GroupMember,
  nowMs: number,
  policy: GroupingPolicy,
): RuleResult<Placement> {
  const doc = structuredClone(input);
  const known = Object.values(doc.bursts).find((b) =>
    b.members.some((m) => m.thread === member.thread),
  );
  if (known) return placeKnown(input, doc, known, member, nowMs, policy);

  const current = doc.current ? doc.bursts[doc.current] : undefined;
  if (current && !current.lapsed && nowMs < current.anchorMs + policy.windowMs) {
    current.members.push(member);
    if (current.members.length >= policy.minServices) {
      current.formed = true;
      return { doc: prune(doc, nowMs), changed: true, value: { kind: 'join', group: current } };
    }
    const untilMs = current.anchorMs + policy.windowMs;
    return { doc: prune(doc, nowMs), changed: true, value: { kind: 'hold', untilMs } };
  }
  if (current && !current.formed) current.lapsed = true;
  const burst: Burst = { id: member.thread, anchorMs: nowMs, members: [member], formed: false };
  doc.bursts[burst.id] = burst;
  doc.current = burst.id;
  return { doc: prune(doc, nowMs), changed: true, value: { kind: 'alone' } };
}

/** A start placed before (a retry, or a held start asking again): its placement stands. */
function placeKnown(
  input: ChannelBursts,
  doc: ChannelBursts,
  burst: Burst,
  member: GroupMember,
  nowMs: number,
  policy: GroupingPolicy,
): RuleResult<Placement> {
  if (burst.id === member.thread) return { doc: input, changed: false, value: { kind: 'alone' } };
  if (burst.formed) return { doc: input, changed: false, value: { kind: 'join', group: burst } };
  if (!burst.lapsed && nowMs < burst.anchorMs + policy.windowMs) {
    const untilMs = burst.anchorMs + policy.windowMs;
    return { doc: input, changed: false, value: { kind: 'hold', untilMs } };
  }
  if (burst.lapsed) return { doc: input, changed: false, value: { kind: 'alone' } };
  // The window is over and no group formed: from now on nobody joins it.
  burst.lapsed = true;
  if (doc.current === burst.id) delete doc.current;
  return { doc: prune(doc, nowMs), changed: true, value: { kind: 'alone' } };
}

/**
 * A member's incident is over (`resolvedAt` set) or open again, as `subject` says: the group's
 * message follows. Returns the group as it stands, or undefined when it is not (any longer) known.
 */
export function updateMember(
  input: ChannelBursts,
  groupId: string,
  thread: string,
  subject: Pick<EventSubject, 'status' | 'impact' | 'title' | 'resolvedAt'>,
  atIso: string,
): RuleResult<Burst | undefined> {
  const found = input.bursts[groupId];
  const before = found?.members.find((m) => m.thread === thread);
  if (!found || !before) return { doc: input, changed: false, value: found };
  const doc = structuredClone(input);
  const group = doc.bursts[groupId] as Burst;
  const member = group.members.find((m) => m.thread === thread) as GroupMember;
  member.title = subject.title;
  member.impact = subject.impact;
  if (isOver(subject)) member.resolvedAt = subject.resolvedAt ?? member.resolvedAt ?? atIso;
  else delete member.resolvedAt;
  const allOver = group.members.every((m) => m.resolvedAt !== undefined);
  if (allOver) group.endedAt = group.endedAt ?? latest(group.members);
  else delete group.endedAt;
  const changed = JSON.stringify(group) !== JSON.stringify(found);
  return { doc: changed ? doc : input, changed, value: changed ? group : found };
}

const latest = (members: readonly GroupMember[]): string =>
  members
    .map((m) => m.resolvedAt as string)
    .reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/**
 * Forgets what no placement or message can need any more: bursts that ended a day ago, formed
 * groups open for a month, and beyond MAX_BURSTS the oldest bursts that never formed.
 */
function prune(doc: ChannelBursts, nowMs: number): ChannelBursts {
  for (const [id, burst] of Object.entries(doc.bursts)) {
    if (id === doc.current) continue;
    const ended = burst.formed
      ? burst.endedAt
        ? Date.parse(burst.endedAt) + BURST_RETENTION_MS
        : burst.anchorMs + OPEN_GROUP_RETENTION_MS
      : burst.anchorMs + BURST_RETENTION_MS;
    if (ended <= nowMs) delete doc.bursts[id];
  }
  const loose = Object.values(doc.bursts)
    .filter((b) => !b.formed && b.id !== doc.current)
    .sort((a, b) => a.anchorMs - b.anchorMs);
  const excess = Object.keys(doc.bursts).length - MAX_BURSTS;
  for (const burst of loose.slice(0, Math.max(0, excess))) delete doc.bursts[burst.id];
  return doc;
}

/** What a group's message says, in words every renderer shares. */
export interface GroupSummary {
  /** "3 services down at once" / "Over: 3 services were down at once". */
  headline: string;
  over: boolean;
  /** Members still open. */
  open: number;
  /** From the first start to the last recovery, when it is over. */
  lastedMs?: number;
}

export function summarizeGroup(group: Burst): GroupSummary {
  const open = group.members.filter((m) => m.resolvedAt === undefined).length;
  const n = group.members.length;
  const over = open === 0;
  if (!over) {
    const recovering = open < n ? ` (${n - open} recovered)` : '';
    return { headline: `${n} services down at once${recovering}`, over, open };
  }
  const first = Math.min(...group.members.map((m) => Date.parse(m.startedAt)));
  const lasted = Date.parse(group.endedAt ?? latest(group.members)) - first;
  const summary: GroupSummary = { headline: `Over: ${n} services were down at once`, over, open };
  if (!Number.isNaN(lasted)) summary.lastedMs = Math.max(0, lasted);
  return summary;
}
