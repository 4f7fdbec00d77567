import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { ChatAdapter } from '../../src/delivery/chat-adapter.js';
import { DeliveryWorker } from '../../src/delivery/worker.js';
import { SqliteStore } from '../../src/store/embedded/sqlite-store.js';
import { makeDeliveries } from './outbox-throughput.js';

/**
 * The real delivery worker draining the embedded outbox into a platform that answers at once:
 * what the worker itself costs per message (subscription check, thread lookup, lease heartbeat,
 * thread record, completion), with 32 sends in flight.
 */
export async function benchWorker(threads: number, perThread: number): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-bench-worker-'));
  const logger = pino({ level: 'silent' });
  const store = new SqliteStore({ dataDir, logger });
  const instant: ChatAdapter = {
    platform: 'slack',
    async start() {},
    async stop() {},
    async deliver({ delivery, thread }) {
      return thread ? undefined : { channelId: delivery.channel.channelId, rootId: delivery.id };
    },
  };
  try {
    const deliveries = makeDeliveries(threads, perThread);
    const first = deliveries[0];
    if (first) {
      await store.putSubscription({
        serviceId: first.event.serviceId,
        channel: first.channel,
        filters: { minImpact: 'none', components: [] },
        mention: 'none',
        mentionMinImpact: 'critical',
        createdAt: first.enqueuedAt,
        createdBy: 'bench',
      });
    }
    await store.enqueue(deliveries);
    const worker = new DeliveryWorker({
      store,
      adapters: new Map([['slack', instant]]),
      logger,
      now: () => new Date(),
      owner: 'bench',
    });
    const started = performance.now();
    const sent = await worker.drain();
    const ms = performance.now() - started;
    return (sent / ms) * 1000;
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
