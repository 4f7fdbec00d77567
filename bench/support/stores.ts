import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { SqliteStore } from '../../src/store/embedded/sqlite-store.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { Store } from '../../src/store/store.js';

export const BENCH_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type StoreKind = 'redis' | 'embedded';

export interface BenchStore {
  store: Store;
  /** Closes the store and removes everything it wrote (data dir, or keys under its prefix). */
  dispose(): Promise<void>;
}

/** A store of its own for one scenario: a fresh data dir, or a fresh Redis key prefix. */
export async function openStore(kind: StoreKind, client?: Redis): Promise<BenchStore> {
  const logger = pino({ level: 'silent' });
  if (kind === 'embedded') {
    const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-bench-'));
    const store = new SqliteStore({ dataDir, logger });
    return {
      store,
      async dispose() {
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const keyPrefix = `bench:${randomUUID()}:`;
  const store = new RedisStore({ connection: client ?? BENCH_REDIS_URL, keyPrefix, logger });
  return {
    store,
    async dispose() {
      await store.close();
      await deleteKeys(keyPrefix);
    },
  };
}

export async function deleteKeys(prefix: string): Promise<void> {
  const direct = new Redis(BENCH_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await direct.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await direct.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    direct.disconnect();
  }
}
