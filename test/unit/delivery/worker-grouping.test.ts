import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../../adapters/console/console-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import type { ChannelRef, Delivery } from '../../../src/incidents/subscription.js';
import type { Store } from '../../../src/store/store.js';
import { deliveryFor, incidentEvent } from '../../helpers/events.js';
import { type StoreKind, storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';

/**
 * Rule 8 through the real worker, the console adapter and both real stores, on a clock the test
 * moves: what the channel reads when services start together, apart, and recover.
 */

const channel: ChannelRef = { platform: 'console', workspaceId: '', channelId: 'stdout' };
const T0 = Date.parse('2026-03-02T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const NAMES: Record<string, string> = { a: 'Alpha', b: 'Beta', c: 'Gamma', d: 'Delta', e: 'Echo' };

function started(service: string, atMs: number): IncidentEvent {
  const base = incidentEvent();
  return incidentEvent({
    id: `${service}:inc1:started:open`,
    serviceId: service,
    serviceName: NAMES[service] ?? service,
    threadKey: `${service}:inc1`,
    subject: {
      ...base.subject,
      components: [],
      url: undefined,
      title: `${NAMES[service]} is down`,
      startedAt: iso(atMs),
    },
    update: { id: 'u1', status: 'investigating', body: 'Looking into it.', at: iso(atMs) },
    at: iso(atMs),
  });
}

function resolved(service: string, startMs: number, atMs: number): IncidentEvent {
  const start = started(service, startMs);
  return {
    ...start,
    id: `${service}:inc1:resolved:r`,
    type: 'resolved',
    subject: { ...start.subject, status: 'resolved', resolvedAt: iso(atMs) },
    update: { id: 'r', status: 'resolved', body: 'Fixed.', at: iso(atMs) },
    at: iso(atMs),
  };
}

function confirmed(service: string, startMs: number, atMs: number): IncidentEvent {
  const start = started(service, startMs);
  return {
    ...start,
    id: `${service}:inc1:confirmed:reports`,
    type: 'confirmed',
    subject: { ...start.subject, confidence: 'confirmed', evidence: ['probe', 'reports'] },
    update: { id: 'c', status: 'investigating', body: 'Users report it too.', at: iso(atMs) },
    confirmedNow: true,
    at: iso(atMs),
  };
}

const deliver = (event: IncidentEvent, atMs: number): Delivery =>
  deliveryFor(event, channel, { enqueuedAt: iso(atMs), nextAttemptAt: iso(atMs) });

function harness(store: Store, clock: { ms: number }) {
  const lines: string[] = [];
  const worker = (owner = 'w1') =>
    new DeliveryWorker({
      store,
      adapters: new Map([
        ['console', createConsoleAdapter((t) => lines.push(...t.trimEnd().split('\n')))],
      ]),
      logger: pino({ level: 'silent' }),
      now: () => new Date(clock.ms),
      owner,
      grouping: { windowMs: 60_000, minServices: 3 },
    });
  return { lines, worker };
}

async function subscribeAll(store: Store) {
  for (const service of Object.keys(NAMES)) {
    await store.putSubscription(subscription({ serviceId: service, channel, createdAt: iso(T0) }));
  }
}

const roots = (lines: string[]) => lines.filter((l) => l.startsWith('┏ '));
const edits = (lines: string[]) => lines.filter((l) => l.startsWith('  ✎ '));

describe.each<StoreKind>(['embedded', 'redis'])(
  'grouped threads in the worker (%s store)',
  (kind) => {
    const { store } = storePerTest(kind);

    it('posts a lone start at once, with nothing held', async () => {
      const clock = { ms: T0 };
      await subscribeAll(store);
      const { lines, worker } = harness(store, clock);
      await store.enqueue([deliver(started('a', T0), T0)]);
      expect(await worker().drain()).toBe(1);
      expect(roots(lines)).toEqual(['┏ [a:inc1] 🟠 Incident started: Alpha — Alpha is down']);
      expect(await store.pendingDeliveries()).toBe(0);
    });

    it('makes four starts within a minute one grouped thread; a fifth after it gets its own', async () => {
      const clock = { ms: T0 };
      await subscribeAll(store);
      const { lines, worker } = harness(store, clock);
      const w = worker();
      await store.enqueue([deliver(started('a', T0), T0)]);
      await w.drain();
      clock.ms = T0 + 5_000;
      await store.enqueue([deliver(started('b', clock.ms), clock.ms)]);
      await w.drain();
      // Beta waits: a third may come.
      expect(roots(lines)).toHaveLength(1);
      expect(await store.pendingDeliveries()).toBe(1);
      clock.ms = T0 + 20_000;
      await store.enqueue([deliver(started('c', clock.ms), clock.ms)]);
      await w.drain();
      clock.ms += 1_000;
      await w.drain();
      clock.ms = T0 + 50_000;
      await store.enqueue([deliver(started('d', clock.ms), clock.ms)]);
      await w.drain();
      clock.ms = T0 + 61_000;
      await store.enqueue([deliver(started('e', clock.ms), clock.ms)]);
      await w.drain();

      expect(roots(lines)).toEqual([
        '┏ [a:inc1] 🟠 Incident started: Alpha — Alpha is down',
        '┏ [e:inc1] 🟠 Incident started: Echo — Echo is down',
      ]);
      const replies = lines.filter((l) => l.startsWith('  ↳ '));
      expect(replies).toEqual([
        '  ↳ [a:inc1] Gamma: 🟠 Incident started — Gamma is down: Looking into it.',
        '  ↳ [a:inc1] Beta: 🟠 Incident started — Beta is down: Looking into it.',
        '  ↳ [a:inc1] Delta: 🟠 Incident started — Delta is down: Looking into it.',
      ]);
      expect(edits(lines).at(-1)).toBe(
        '  ✎ [a:inc1] start message now reads: 4 services down at once — 🟠 Alpha: Alpha is down · 🟠 Beta: Beta is down · 🟠 Gamma: Gamma is down · 🟠 Delta: Delta is down',
      );
      expect(await store.pendingDeliveries()).toBe(0);

      // Recoveries go to the group's thread, and its root follows until it says it is over.
      lines.length = 0;
      const startOf: Record<string, number> = {
        a: T0,
        b: T0 + 5_000,
        c: T0 + 20_000,
        d: T0 + 50_000,
      };
      for (const [i, service] of ['b', 'a', 'd', 'c'].entries()) {
        clock.ms = T0 + (10 + i) * 60_000;
        await store.enqueue([
          deliver(resolved(service, startOf[service] ?? T0, clock.ms), clock.ms),
        ]);
        await w.drain();
      }
      expect(lines.filter((l) => l.startsWith('  ↳ '))).toEqual([
        '  ↳ [a:inc1] Beta: ✅ Resolved after 9m 55s: Fixed.',
        '  ↳ [a:inc1] Alpha: ✅ Resolved after 11m: Fixed.',
        '  ↳ [a:inc1] Delta: ✅ Resolved after 11m 10s: Fixed.',
        '  ↳ [a:inc1] Gamma: ✅ Resolved after 12m 40s: Fixed.',
      ]);
      expect(edits(lines)[0]).toBe(
        '  ✎ [a:inc1] start message now reads: 4 services down at once (1 recovered) — 🟠 Alpha: Alpha is down · ✅ Beta: Beta is down (recovered) · 🟠 Gamma: Gamma is down · 🟠 Delta: Delta is down',
      );
      expect(edits(lines).at(-1)).toBe(
        '  ✎ [a:inc1] start message now reads: Over: 4 services were down at once (lasted 13m) — ✅ Alpha: Alpha is down (recovered) · ✅ Beta: Beta is down (recovered) · ✅ Gamma: Gamma is down (recovered) · ✅ Delta: Delta is down (recovered)',
      );
      expect(roots(lines)).toEqual([]);
    });

    it('sends a held second start on its own when no third comes within the window', async () => {
      const clock = { ms: T0 };
      await subscribeAll(store);
      const { lines, worker } = harness(store, clock);
      const w = worker();
      await store.enqueue([deliver(started('a', T0), T0)]);
      await w.drain();
      clock.ms = T0 + 30_000;
      await store.enqueue([deliver(started('b', clock.ms), clock.ms)]);
      await w.drain();
      expect(roots(lines)).toHaveLength(1);
      clock.ms = T0 + 60_000;
      await w.drain();
      expect(roots(lines)).toEqual([
        '┏ [a:inc1] 🟠 Incident started: Alpha — Alpha is down',
        '┏ [b:inc1] 🟠 Incident started: Beta — Beta is down',
      ]);
      expect(edits(lines)).toEqual([]);
    });

    it("leaves the group's start message alone when a confirmation changes nothing it shows", async () => {
      const clock = { ms: T0 };
      await subscribeAll(store);
      const { lines, worker } = harness(store, clock);
      const w = worker();
      await store.enqueue(['a', 'b', 'c'].map((s) => deliver(started(s, T0), T0)));
      for (let step = 0; step < 3 && (await store.pendingDeliveries()) > 0; step += 1) {
        await w.drain();
        clock.ms += 1_000;
      }
      expect(roots(lines)).toHaveLength(1);
      lines.length = 0;
      clock.ms = T0 + 5 * 60_000;
      await store.enqueue([deliver(confirmed('b', T0, clock.ms), clock.ms)]);
      await w.drain();
      expect(lines.filter((l) => l.startsWith('  ↳ '))).toHaveLength(1);
      expect(edits(lines)).toEqual([]);

      // A retry of it (its first try may have died between the record and the edit) edits.
      const retry = { ...deliver(confirmed('b', T0, clock.ms), clock.ms), attempts: 1 };
      await store.enqueue([{ ...retry, id: `${retry.id}#again` }]);
      await w.drain();
      // The three started at once: which one's start is the root, and the order, vary.
      const [edit, ...more] = edits(lines);
      expect(more).toEqual([]);
      expect(edit).toMatch(
        /^ {2}✎ \[[abc]:inc1\] start message now reads: 3 services down at once — /,
      );
      for (const name of ['Alpha', 'Beta', 'Gamma'])
        expect(edit).toContain(`🟠 ${name}: ${name} is down`);
    });

    it('lets two replicas racing over one burst post one root and one group', async () => {
      const clock = { ms: T0 };
      await subscribeAll(store);
      const { lines, worker } = harness(store, clock);
      const replicas = [worker('w1'), worker('w2')];
      await store.enqueue(['a', 'b', 'c', 'd'].map((s) => deliver(started(s, T0), T0)));
      // Each replica drains, while the clock steps past each hold, until nothing is left.
      for (let step = 0; step < 10 && (await store.pendingDeliveries()) > 0; step += 1) {
        await Promise.all(replicas.map((r) => r.drain()));
        clock.ms += 1_000;
      }
      expect(await store.pendingDeliveries()).toBe(0);
      expect(roots(lines)).toHaveLength(1);
      const root = roots(lines)[0]?.match(/^┏ \[(\w):inc1\]/)?.[1];
      const replies = lines.filter((l) => l.startsWith('  ↳ '));
      expect(replies).toHaveLength(3);
      for (const reply of replies) expect(reply).toMatch(new RegExp(`^  ↳ \\[${root}:inc1\\] `));
      expect(edits(lines).at(-1)).toMatch(
        /^ {2}✎ \[\w:inc1\] start message now reads: 4 services down at once — /,
      );
    });
  },
);
