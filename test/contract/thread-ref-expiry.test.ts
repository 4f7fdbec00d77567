import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { THREAD_REF_TTL_MS } from '../../src/lifetimes.js';
import { MIGRATIONS } from '../../src/store/embedded/schema.js';
import { SqliteStore } from '../../src/store/embedded/sqlite-store.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { TEST_REDIS_URL } from '../helpers/stores.js';

const logger = pino({ level: 'silent' });
const ref = { channelId: 'C1', rootId: '1718035200.000100' };

describe('thread refs are forgotten after THREAD_REF_TTL_MS', () => {
  it('embedded: gone once the clock passes the expiry, and swept from the file', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-ttl-'));
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const store = new SqliteStore({ dataDir, logger, now: () => clock });
    try {
      await store.putThread('github:inc1|slack:T1:C1', ref);
      clock += THREAD_REF_TTL_MS - 1;
      expect(await store.getThread('github:inc1|slack:T1:C1')).toEqual(ref);
      clock += 1;
      expect(await store.getThread('github:inc1|slack:T1:C1')).toBeUndefined();
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('embedded: refs written before the expiry existed get one when the schema is upgraded', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-mig-'));
    try {
      const db = new Database(join(dataDir, 'outage-bot.sqlite'));
      db.exec(MIGRATIONS[0] as string);
      db.pragma('user_version = 1');
      db.prepare('INSERT INTO thread_ref (thread, body) VALUES (?, ?)').run(
        'old',
        JSON.stringify(ref),
      );
      db.close();
      const store = new SqliteStore({ dataDir, logger });
      expect(await store.getThread('old')).toEqual(ref);
      await store.close();
      const after = new Database(join(dataDir, 'outage-bot.sqlite'));
      const expires = after.prepare('SELECT expires_at FROM thread_ref').pluck().get() as number;
      after.close();
      expect(expires).toBeGreaterThan(Date.now() + THREAD_REF_TTL_MS - 60_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + THREAD_REF_TTL_MS);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('redis: the key carries the expiry', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const store = new RedisStore({ connection: TEST_REDIS_URL, keyPrefix, logger });
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await store.putThread('github:inc1|slack:T1:C1', ref);
      expect(await store.getThread('github:inc1|slack:T1:C1')).toEqual(ref);
      const keys = await redis.keys(`${keyPrefix}*`);
      expect(keys).toHaveLength(1);
      const ttl = await redis.pttl(keys[0] as string);
      expect(ttl).toBeGreaterThan(THREAD_REF_TTL_MS - 60_000);
      expect(ttl).toBeLessThanOrEqual(THREAD_REF_TTL_MS);
      await redis.del(...keys);
    } finally {
      await store.close();
      redis.disconnect();
    }
  });
});
