import { describe, expect, it } from 'vitest';
import {
  BURST_RETENTION_MS,
  type ChannelBursts,
  emptyBursts,
  type GroupingPolicy,
  type GroupMember,
  type Placement,
  placeStart,
  summarizeGroup,
  updateMember,
} from '../../../src/incidents/grouping.js';
import { mayGroup } from '../../../src/incidents/thread-rules.js';

const POLICY: GroupingPolicy = { windowMs: 60_000, minServices: 3 };
const T0 = Date.parse('2026-03-02T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const member = (service: string): GroupMember => ({
  thread: `${service}:inc|slack:T1:C1`,
  serviceId: service,
  serviceName: service.toUpperCase(),
  title: `${service} is down`,
  impact: 'major',
  startedAt: iso(T0),
});

/** Places each start in turn, threading the channel's record through, like the store does. */
function placeAll(
  starts: Array<[service: string, atMs: number]>,
  doc: ChannelBursts = emptyBursts(),
  policy = POLICY,
): { doc: ChannelBursts; placements: Placement['kind'][] } {
  const placements: Placement['kind'][] = [];
  let current = doc;
  for (const [service, atMs] of starts) {
    const result = placeStart(current, member(service), atMs, policy);
    current = result.doc;
    placements.push(result.value.kind);
  }
  return { doc: current, placements };
}

describe('grouping rule (DESIGN.md rule 8)', () => {
  it('groups only live incident starts', () => {
    const subject = { kind: 'incident', status: 'investigating' } as const;
    expect(mayGroup({ type: 'started', subject })).toBe(true);
    expect(mayGroup({ type: 'started', combined: true, subject })).toBe(false);
    expect(mayGroup({ type: 'started', subject: { ...subject, status: 'resolved' } })).toBe(false);
    expect(mayGroup({ type: 'updated', subject })).toBe(false);
    expect(mayGroup({ type: 'resolved', subject })).toBe(false);
    expect(
      mayGroup({
        type: 'maintenance_started',
        subject: { kind: 'maintenance', status: 'in_progress' },
      }),
    ).toBe(false);
  });

  it('sends a lone start at once: nothing else started, nothing is held', () => {
    const { placements } = placeAll([['a', T0]]);
    expect(placements).toEqual(['alone']);
  });

  it('holds the second start of a burst until the window ends, then sends it on its own', () => {
    let { doc, placements } = placeAll([
      ['a', T0],
      ['b', T0 + 10_000],
    ]);
    expect(placements).toEqual(['alone', 'hold']);
    const held = placeStart(doc, member('b'), T0 + 30_000, POLICY);
    expect(held.value).toEqual({ kind: 'hold', untilMs: T0 + 60_000 });
    expect(held.changed).toBe(false);
    const lapsed = placeStart(doc, member('b'), T0 + 60_000, POLICY);
    expect(lapsed.value).toEqual({ kind: 'alone' });
    doc = lapsed.doc;
    // A later start opens a burst of its own; the lapsed one takes nobody any more.
    ({ placements } = placeAll([['c', T0 + 61_000]], doc));
    expect(placements).toEqual(['alone']);
  });

  it('makes a group of three starts within the window; the first start message is its root', () => {
    const { doc, placements } = placeAll([
      ['a', T0],
      ['b', T0 + 5_000],
      ['c', T0 + 20_000],
      ['d', T0 + 59_999],
    ]);
    expect(placements).toEqual(['alone', 'hold', 'join', 'join']);
    const group = doc.bursts[member('a').thread];
    expect(group?.formed).toBe(true);
    expect(group?.members.map((m) => m.serviceId)).toEqual(['a', 'b', 'c', 'd']);
    // The held second start, asking again, joins the group at once.
    const again = placeStart(doc, member('b'), T0 + 21_000, POLICY);
    expect(again.value.kind).toBe('join');
    expect(again.changed).toBe(false);
  });

  it('gives a start outside the window a thread of its own, even after a group', () => {
    const { placements } = placeAll([
      ['a', T0],
      ['b', T0 + 1_000],
      ['c', T0 + 2_000],
      ['e', T0 + 60_000],
    ]);
    expect(placements).toEqual(['alone', 'hold', 'join', 'alone']);
  });

  it('keeps every placement: a retried delivery lands where it went first', () => {
    const { doc } = placeAll([
      ['a', T0],
      ['b', T0 + 1_000],
      ['c', T0 + 2_000],
    ]);
    const late = T0 + 10 * 60_000;
    expect(placeStart(doc, member('a'), late, POLICY).value.kind).toBe('alone');
    expect(placeStart(doc, member('b'), late, POLICY).value.kind).toBe('join');
    expect(placeStart(doc, member('c'), late, POLICY).value.kind).toBe('join');
    expect(placeStart(doc, member('c'), late, POLICY).changed).toBe(false);
  });

  it('honours GROUP_MIN_SERVICES', () => {
    const two = { ...POLICY, minServices: 2 };
    expect(
      placeAll(
        [
          ['a', T0],
          ['b', T0 + 1_000],
        ],
        emptyBursts(),
        two,
      ).placements,
    ).toEqual(['alone', 'join']);
    const four = { ...POLICY, minServices: 4 };
    expect(
      placeAll(
        [
          ['a', T0],
          ['b', T0 + 1_000],
          ['c', T0 + 2_000],
          ['d', T0 + 3_000],
        ],
        emptyBursts(),
        four,
      ).placements,
    ).toEqual(['alone', 'hold', 'hold', 'join']);
  });

  it('follows members recovering, and says the group is over when all are', () => {
    let { doc } = placeAll([
      ['a', T0],
      ['b', T0 + 1_000],
      ['c', T0 + 2_000],
    ]);
    const id = member('a').thread;
    const resolve = (service: string, minutes: number) => {
      const result = updateMember(
        doc,
        id,
        member(service).thread,
        {
          status: 'resolved',
          impact: 'major',
          title: `${service} is down`,
          resolvedAt: iso(T0 + minutes * 60_000),
        },
        iso(T0 + minutes * 60_000),
      );
      doc = result.doc;
      return result;
    };
    const group = doc.bursts[id];
    if (!group) throw new Error('no group');
    expect(summarizeGroup(group)).toEqual({
      headline: '3 services down at once',
      over: false,
      open: 3,
    });
    expect(resolve('b', 10).value?.members[1]?.resolvedAt).toBe(iso(T0 + 10 * 60_000));
    expect(summarizeGroup(doc.bursts[id] as never).headline).toBe(
      '3 services down at once (1 recovered)',
    );
    // The same resolution again changes nothing.
    expect(resolve('b', 10).changed).toBe(false);
    resolve('a', 20);
    const last = resolve('c', 72);
    expect(last.value?.endedAt).toBe(iso(T0 + 72 * 60_000));
    expect(summarizeGroup(last.value as never)).toEqual({
      headline: 'Over: 3 services were down at once',
      over: true,
      open: 0,
      lastedMs: 72 * 60_000,
    });
    // A member listed open again reopens the group.
    const reopened = updateMember(
      doc,
      id,
      member('a').thread,
      { status: 'investigating', impact: 'critical', title: 'a is down again' },
      iso(T0 + 80 * 60_000),
    );
    expect(reopened.value?.endedAt).toBeUndefined();
    expect(reopened.value?.members[0]).toMatchObject({
      impact: 'critical',
      title: 'a is down again',
    });
    expect(reopened.value?.members[0]?.resolvedAt).toBeUndefined();
  });

  it('forgets bursts a day after they ended, and never the current one', () => {
    let { doc } = placeAll([
      ['a', T0],
      ['b', T0 + 1_000],
      ['c', T0 + 2_000],
    ]);
    const id = member('a').thread;
    for (const s of ['a', 'b', 'c']) {
      doc = updateMember(
        doc,
        id,
        member(s).thread,
        { status: 'resolved', impact: 'major', title: 't', resolvedAt: iso(T0 + 60_000) },
        iso(T0 + 60_000),
      ).doc;
    }
    ({ doc } = placeAll([['x', T0 + 2 * 60_000]], doc));
    expect(Object.keys(doc.bursts)).toEqual([id, member('x').thread]);
    ({ doc } = placeAll([['y', T0 + 2 * 60_000 + BURST_RETENTION_MS]], doc));
    // The group ended a day ago and x's lone burst is a day old: only y's is left.
    expect(Object.keys(doc.bursts)).toEqual([member('y').thread]);
  });
});
