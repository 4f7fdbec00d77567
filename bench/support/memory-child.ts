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
 * cycles with the clock moving a minute per cycle. One page in ten shows an open incident, which
 * every channel following it is sent. Prints one JSON line: { rssMiB, heapMiB, cycles, sent, ms }.
 */
const [pagesBase = '', ...sizes] = process.argv.slice(2);
const [services = 5_000, perService = 10, cycles = 60] = sizes.map(Number);

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
for (const service of pipeline.services) {
  await Promise.all(
    Array.from({ length: perService }, (_, c) =>
      store.putSubscription({
        serviceId: service.id,
        channel: { platform: 'slack', workspaceId: 'T1', channelId: `C${service.id}-${c}` },
        filters: { minImpact: 'none', components: [] },
        mention: 'none',
        mentionMinImpact: 'critical',
        createdAt,
        createdBy: 'bench',
      }),
    ),
  );
}
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
  clock += 60_000;
  const { rss, heapUsed } = process.memoryUsage();
  process.stderr.write(`cycle ${cycle + 1}: ${Date.now() - started} ms, rss ${rss >> 20} MiB, heap ${heapUsed >> 20} MiB\n`);
}
globalThis.gc?.();
const { rss, heapUsed } = process.memoryUsage();
const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({ rssMiB: mib(rss), heapMiB: mib(heapUsed), cycles, sent, ms: Date.now() - started })}\n`,
);
await pipeline.stop();
await opened.dispose();
process.exit(0);
