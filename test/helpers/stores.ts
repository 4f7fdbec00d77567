import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll } from 'vitest';
import { SqliteStore } from '../../src/store/embedded/sqlite-store.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { forwardTo, perTest } from './per-test.js';
import { type ClusterSetup, startCluster } from './redis-topology.js';

/** `redis-cluster`: the Redis store on a three-primary Cluster this test file starts. */
export type StoreKind = 'redis' | 'embedded' | 'redis-cluster';

/** The store's own name for a test store kind (a Cluster is still the Redis store). */
export const storeKindName = (kind: StoreKind): 'redis' | 'embedded' =>
  kind === 'embedded' ? 'embedded' : 'redis';

let cluster: Promise<ClusterSetup> | undefined;

/** The Cluster of this test file (vitest forks one process per file), started on first use. */
export function testCluster(): Promise<ClusterSetup> {
  cluster ??= startCluster();
  return cluster;
}

async function stopTestCluster(): Promise<void> {
  const started = cluster;
  cluster = undefined;
  await (await started)?.stop();
}

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestStore {
  store: Store;
  /** Another instance on the same backend: a second replica, or the bot after a restart. */
  open(): Store;
  /** Where the data lives: the temp dir (embedded) or the key prefix (redis). */
  location: string;
  /** Closes every instance opened here and deletes the data. */
  cleanup(): Promise<void>;
}

/** Store options a test may set. */
export interface TestStoreOptions {
  chatServiceGraceMs?: number;
  historyRetentionMs?: number;
}

/**
 * A fresh, empty store of one kind: embedded in a new temp dir, or Redis at TEST_REDIS_URL under
 * a unique key prefix, so tests running in parallel never see each other's data.
 */
export async function createTestStore(
  kind: StoreKind,
  options: TestStoreOptions = {},
): Promise<TestStore> {
  const logger = pino({ level: 'silent' });
  const opened: Store[] = [];
  let location: string;
  let make: () => Store;
  let wipe: () => Promise<void>;
  if (kind === 'embedded') {
    const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-store-'));
    location = dataDir;
    make = () => new SqliteStore({ dataDir, logger, ...options });
    wipe = () => rm(dataDir, { recursive: true, force: true });
  } else if (kind === 'redis-cluster') {
    const nodes = (await testCluster()).nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
    // The hash tag puts every key of this store in one slot; other tests land on other nodes.
    const keyPrefix = `{test:${randomUUID()}}:`;
    location = keyPrefix;
    make = () =>
      new RedisStore({ connection: { clusterNodes: nodes }, keyPrefix, logger, ...options });
    wipe = () => deleteClusterKeys(nodes, keyPrefix);
  } else {
    const keyPrefix = `test:${randomUUID()}:`;
    location = keyPrefix;
    make = () => new RedisStore({ connection: TEST_REDIS_URL, keyPrefix, logger, ...options });
    wipe = () => deleteKeys(keyPrefix);
  }
  const open = () => {
    const store = make();
    opened.push(store);
    return store;
  };
  const store = open();
  return {
    store,
    open,
    location,
    async cleanup() {
      await Promise.all(opened.map((s) => s.close()));
      await wipe();
    },
  };
}

/** A fresh store of `kind` for each test of the calling `describe` (see perTest), and `t.store`. */
export function storePerTest(
  kind: StoreKind,
  options: TestStoreOptions = {},
): { t: TestStore; store: Store } {
  if (kind === 'redis-cluster') afterAll(stopTestCluster);
  const t = perTest(
    () => createTestStore(kind, options),
    (test) => test.cleanup(),
  );
  return { t, store: forwardTo(() => t.store) };
}

/** Deletes every key under `prefix` in the test Redis. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function deleteClusterKeys(nodes: { host: string; port: number }[], prefix: string) {
  const client = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 1 } });
  try {
    for (const node of client.nodes('master')) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await node.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}
