import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/store/embedded/schema.js';
import { CLAIM_SQL } from '../../src/store/embedded/sqlite-outbox.js';
import { SqliteStore } from '../../src/store/embedded/sqlite-store.js';
import { type StoreKind, storePerTest, TEST_REDIS_URL, type TestStore } from '../helpers/stores.js';
import { channel, delivery, state, T0 } from './store-fixtures.js';

/** How many event bodies the backend holds, and how many bytes the deliveries take besides. */
async function storedOutbox(kind: StoreKind, t: TestStore) {
  if (kind === 'embedded') {
    const db = new Database(join(t.location, 'outage-bot.sqlite'), { readonly: true });
    try {
      const events = db.prepare('SELECT COUNT(*) FROM outbox_event').pluck().get() as number;
      const bytes = db.prepare('SELECT COALESCE(SUM(LENGTH(body)), 0) FROM outbox').pluck().get();
      return { events, deliveryBytes: bytes as number };
    } finally {
      db.close();
    }
  }
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const events = (await redis.keys(`${t.location}ob:ev:*`)).length;
    let deliveryBytes = 0;
    for (const key of await redis.keys(`${t.location}ob:d:*`)) {
      deliveryBytes += await redis.hstrlen(key, 'body');
    }
    return { events, deliveryBytes };
  } finally {
    redis.disconnect();
  }
}

describe.each<StoreKind>(['embedded', 'redis'])('Store outbox bounds: %s', (kind) => {
  const { t, store } = storePerTest(kind);
  const claimAll = (owner: string) =>
    store.claimDeliveries({ owner, now: T0, limit: 100, leaseMs: 60_000 });

  it('stores an event going to many channels once, and forgets it with its last delivery', async () => {
    const channels = Array.from({ length: 20 }, (_, i) => channel(`C${i}`));
    const fanOut = channels.map((c) => delivery('inc1', 0, c));
    const event = fanOut[0]?.event;
    await store.commitPoll(state('github'), fanOut);
    const stored = await storedOutbox(kind, t);
    expect(stored.events).toBe(1);
    // Each delivery row holds its routing, not a copy of the event.
    expect(stored.deliveryBytes).toBeLessThan(fanOut.length * JSON.stringify(event).length);

    const claimed = await claimAll('a');
    expect(claimed).toHaveLength(20);
    expect(claimed.every((d) => JSON.stringify(d.event) === JSON.stringify(event))).toBe(true);
    for (const d of claimed.slice(0, 19)) await store.completeDelivery(d, 'a');
    expect((await storedOutbox(kind, t)).events).toBe(1);
    await store.completeDelivery(claimed[19] as (typeof claimed)[number], 'a');
    expect(await storedOutbox(kind, t)).toEqual({ events: 0, deliveryBytes: 0 });
  });

  it('keeps apart two events that share an id but not their content', async () => {
    const original = delivery('inc1', 0, channel('C1'));
    const later = delivery('inc1', 0, channel('C2'));
    later.event = { ...later.event, subject: { ...later.event.subject, title: 'Retitled' } };
    await store.enqueue([original, later]);
    const claimed = await claimAll('a');
    expect(claimed.map((d) => d.event.subject.title).sort()).toEqual(
      [original.event.subject.title, 'Retitled'].sort(),
    );
  });

  it('forgets the event when the channels holding it are dropped', async () => {
    const [c1, c2] = [channel('C1'), channel('C2')];
    await store.enqueue([delivery('inc1', 0, c1), delivery('inc1', 0, c2)]);
    await store.dropDeliveriesForChannel(c1);
    expect((await storedOutbox(kind, t)).events).toBe(1);
    await store.dropDeliveriesForChannel(c2);
    expect((await storedOutbox(kind, t)).events).toBe(0);
  });
});

describe('embedded claim cost', () => {
  it('reads the due heads through an index: no scan or grouping of the whole outbox', () => {
    const db = new Database(':memory:');
    try {
      migrate(db);
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${CLAIM_SQL}`)
        .all({ now: 0, clock: 0, limit: 1, mode: 'only', platforms: ',slack:' }) as {
        detail: string;
      }[];
      const steps = plan.map((p) => p.detail);
      expect(steps[0]).toMatch(/^SEARCH h USING INDEX outbox_head_ready/);
      expect(steps.some((s) => /^SCAN/.test(s))).toBe(false);
      expect(steps.some((s) => /TEMP B-TREE/.test(s))).toBe(false);
    } finally {
      db.close();
    }
  });
});

describe('embedded outbox written before schema 3', () => {
  it('hands out its deliveries in order, events in their bodies, attempts read as possibly sent', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-mig-outbox-'));
    const [d0, d1] = [delivery('inc1', 0), delivery('inc1', 1)];
    try {
      const db = new Database(join(dataDir, 'outage-bot.sqlite'));
      for (const m of MIGRATIONS.slice(0, 2)) db.exec(m);
      db.pragma('user_version = 2');
      const insert = db.prepare(
        `INSERT INTO outbox (id, thread, channel_key, body, attempts, next_attempt_at)
         VALUES (?, ?, 'slack:T1:C1', ?, ?, ?)`,
      );
      insert.run(d0.id, d0.thread, JSON.stringify(d0), 1, T0.getTime());
      insert.run(d1.id, d1.thread, JSON.stringify(d1), 0, T0.getTime());
      db.close();
      const store = new SqliteStore({ dataDir, logger: pino({ level: 'silent' }) });
      try {
        const claim = () =>
          store.claimDeliveries({ owner: 'a', now: T0, limit: 10, leaseMs: 60_000 });
        const [first] = await claim();
        expect(first).toEqual({ ...d0, attempts: 1, possiblySent: true });
        await store.completeDelivery(first as typeof d0, 'a');
        expect(await claim()).toEqual([d1]);
      } finally {
        await store.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
