import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { channelKey, type Delivery } from '../../src/incidents/subscription.js';
import { SqliteStore } from '../../src/store/embedded/sqlite-store.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { Store } from '../../src/store/store.js';

export interface StoreBenchOptions {
  redisUrl?: string;
  threads?: number;
  perThread?: number;
  /** Deliveries asked for per claim. */
  batch?: number;
}

const DUE = new Date('2025-01-01T00:00:00.000Z');

export function makeDeliveries(threads: number, perThread: number): Delivery[] {
  const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
  const out: Delivery[] = [];
  for (let n = 0; n < perThread; n++) {
    for (let t = 0; t < threads; t++) {
      const threadKey = `bench:inc${t}`;
      out.push({
        id: `${threadKey}:${n}|${channelKey(channel)}`,
        event: {
          id: `${threadKey}:${n}`,
          type: n === 0 ? 'started' : 'updated',
          serviceId: 'bench',
          serviceName: 'Bench',
          threadKey,
          subject: {
            kind: 'incident',
            id: `inc${t}`,
            title: 'Elevated error rates',
            status: 'investigating',
            impact: 'major',
            components: ['API', 'Webhooks'],
            startedAt: DUE.toISOString(),
            origin: 'status_page',
          },
          update: {
            id: `u${n}`,
            status: 'investigating',
            body: 'x'.repeat(200),
            at: DUE.toISOString(),
          },
          at: DUE.toISOString(),
        },
        channel,
        mention: 'none',
        thread: `${threadKey}|${channelKey(channel)}`,
        enqueuedAt: DUE.toISOString(),
        attempts: 0,
        nextAttemptAt: DUE.toISOString(),
      });
    }
  }
  return out;
}

/** Enqueues everything, then one worker claims a batch, and marks and completes it in parallel. */
async function run(store: Store, options: Required<Omit<StoreBenchOptions, 'redisUrl'>>) {
  const deliveries = makeDeliveries(options.threads, options.perThread);
  const enqueueStart = performance.now();
  for (let i = 0; i < deliveries.length; i += 100) {
    await store.enqueue(deliveries.slice(i, i + 100));
  }
  const enqueueMs = performance.now() - enqueueStart;
  const start = performance.now();
  let done = 0;
  let claims = 0;
  for (;;) {
    const batch = await store.claimDeliveries({
      owner: 'bench',
      now: new Date(),
      limit: options.batch,
      leaseMs: 60_000,
    });
    claims++;
    if (batch.length === 0) break;
    await Promise.all(
      batch.map(async (d) => {
        await store.markAttempt(d.id);
        await store.completeDelivery(d, 'bench');
      }),
    );
    done += batch.length;
  }
  const ms = performance.now() - start;
  if (done !== deliveries.length) throw new Error(`bench delivered ${done}/${deliveries.length}`);
  return {
    enqueuePerS: (deliveries.length / enqueueMs) * 1000,
    completePerS: (done / ms) * 1000,
    claims,
  };
}

export interface OutboxRates {
  kind: Store['kind'];
  enqueuePerS: number;
  /** claim + markAttempt + complete. */
  completePerS: number;
  claims: number;
}

/** Claim + complete throughput of both stores. Needs Redis at `redisUrl`. */
export async function benchStores(options: StoreBenchOptions = {}): Promise<OutboxRates[]> {
  const settings = {
    threads: options.threads ?? 200,
    perThread: options.perThread ?? 10,
    batch: options.batch ?? 50,
  };
  const logger = pino({ level: 'silent' });
  const lines: OutboxRates[] = [];

  const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-bench-'));
  const embedded = new SqliteStore({ dataDir, logger });
  try {
    lines.push({ kind: embedded.kind, ...(await run(embedded, settings)) });
  } finally {
    await embedded.close();
    await rm(dataDir, { recursive: true, force: true });
  }

  const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379';
  const keyPrefix = `bench:${randomUUID()}:`;
  const redis = new RedisStore({ connection: redisUrl, keyPrefix, logger });
  try {
    lines.push({ kind: redis.kind, ...(await run(redis, settings)) });
  } finally {
    await redis.close();
    const direct = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await direct.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await direct.del(...keys);
    } while (cursor !== '0');
    direct.disconnect();
  }
  return lines;
}
