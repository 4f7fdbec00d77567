import { pino } from 'pino';
import type { ChatAdapter } from '../../src/delivery/chat-adapter.js';
import { DeliveryWorker } from '../../src/delivery/worker.js';
import { pollPipeline } from './pipeline.js';
import { openStore } from './stores.js';

/**
 * A process of its own for the memory scenario, so its resident size is the bot's alone (the
 * pages are served from the parent, at argv[2]): the
 * poll pipeline for `services` services with `perService` subscriptions each on the Redis store,
 * and the delivery worker draining into a platform that answers at once, run for `cycles` poll
 * cycles with the clock moving `cycleMinutes` per cycle. One page in ten shows an open incident,
 * which every channel following it is sent. Progress to stderr, one line per cycle; at the end
 * one JSON line: { rssMiB, heapMiB, heapTotalMiB, externalMiB, cycles, sent, ms, subscribedMs }.
 */
const [pagesBase = '', ...sizes] = process.argv.slice(2);
const [services = 5_000, perService = 10, cycles = 12, cycleMinutes = 5] = sizes.map(Number);

const setupStarted = Date.now();
const logger = pino({ level: 'silent' });
const opened = await openStore('redis');
const { store } = opened;
let clock = Date.now();
const now = () => new Date(clock);
const pipeline = pollPipeline({
  store,
  urlOf: (i) => `${pagesBase}/${i % 10 === 0 ? `svc${i}-open` : `svc${i}`}`,
  services,
  concurrency: 16,
  now,
});
const createdAt = now().toISOString();
const subscribe = (serviceId: string, c: number) =>
  store.putSubscription({
    serviceId,
    channel: { platform: 'slack', workspaceId: 'T1', channelId: `C${serviceId}-${c}` },
    filters: { minImpact: 'none', components: [] },
    mention: 'none',
    mentionMinImpact: 'critical',
    createdAt,
    createdBy: 'bench',
  });
// 100 services' subscriptions in flight at a time: ioredis pipelines them onto one connection.
for (let i = 0; i < pipeline.services.length; i += 100) {
  await Promise.all(
    pipeline.services
      .slice(i, i + 100)
      .flatMap((service) => Array.from({ length: perService }, (_, c) => subscribe(service.id, c))),
  );
}
const subscribedMs = Date.now() - setupStarted;
let sent = 0;
const instant: ChatAdapter = {
  platform: 'slack',
  async start() {},
  async stop() {},
  async deliver({ delivery, thread }) {
    sent += 1;
    return thread ?? { channelId: delivery.channel.channelId, rootId: delivery.id };
  },
};
const worker = new DeliveryWorker({
  store,
  adapters: new Map([['slack', instant]]),
  logger,
  now,
  owner: 'bench-memory',
});
const started = Date.now();
for (let cycle = 0; cycle < cycles; cycle++) {
  await pipeline.round();
  await worker.drain();
  clock += cycleMinutes * 60_000;
  const { rss, heapUsed } = process.memoryUsage();
  process.stderr.write(
    `cycle ${cycle + 1}: ${Date.now() - started} ms, rss ${rss >> 20} MiB, heap ${heapUsed >> 20} MiB\n`,
  );
}
globalThis.gc?.();
const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
const ms = Date.now() - started;
const heap = { heapMiB: mib(heapUsed), heapTotalMiB: mib(heapTotal), externalMiB: mib(external) };
process.stdout.write(
  `${JSON.stringify({ rssMiB: mib(rss), ...heap, cycles, sent, ms, subscribedMs })}\n`,
);
await pipeline.stop();
await opened.dispose();
process.exit(0);
