import { Redis } from 'ioredis';
import { type Figure, figure } from '../support/figure.js';
import { startPagesServer } from '../support/pages.js';
import { pollPipeline } from '../support/pipeline.js';
import type { Scenario } from '../support/scenario.js';
import { BENCH_REDIS_URL, openStore } from '../support/stores.js';

/**
 * Redis round trips per poll of a service whose page did not change, counted on the wire: every
 * write of the store's connection to its socket is one request the poll then waits on (a pipeline
 * or a script is one write). Polls run one at a time so no two share a write. MONITOR, filtered
 * to this connection, counts the commands those round trips carry.
 */
export const redisTripsScenario: Scenario = {
  name: 'redis',
  about: 'Redis round trips and commands per poll of an unchanged service',
  async run(ctx) {
    const services = 200;
    const pages = await startPagesServer();
    const client = new Redis(BENCH_REDIS_URL, { maxRetriesPerRequest: 2 });
    await client.ping();
    const opened = await openStore('redis', client);
    const monitor = await new Redis(BENCH_REDIS_URL).monitor();
    const mine = `${client.stream.localAddress}:${client.stream.localPort}`;
    let commands = 0;
    monitor.on('monitor', (_time: string, _args: string[], source: string) => {
      if (source === mine) commands += 1;
    });
    let writes = 0;
    const socket = client.stream;
    const write = socket.write.bind(socket) as typeof socket.write;
    socket.write = ((...args: Parameters<typeof socket.write>) => {
      writes += 1;
      return write(...args);
    }) as typeof socket.write;
    const pipeline = pollPipeline({
      store: opened.store,
      urlOf: (i) => pages.urlOf(`svc${i}`),
      services,
      concurrency: 1,
    });
    const figures: Figure[] = [];
    try {
      const measure = async (etag: boolean, outcome: string) => {
        await pages.setEtag(etag);
        await pipeline.round(); // first sight, or first ETags
        await client.ping(); // MONITOR lags the commands a little: settle on a marker
        const w0 = writes;
        const c0 = commands;
        const { outcomes } = await pipeline.round();
        if (outcomes.get(outcome as never) !== services) {
          throw new Error(`redis trips: expected ${outcome}, got ${JSON.stringify([...outcomes])}`);
        }
        const trips = (writes - w0) / services;
        await client.ping();
        await new Promise((resolve) => setTimeout(resolve, 200));
        const sent = (commands - c0 - 1) / services;
        ctx.log(`redis ${outcome}: ${trips} round trips, ${sent} commands per poll`);
        return { trips, sent };
      };
      const unchanged = await measure(false, 'ok');
      const notModified = await measure(true, 'ok');
      figures.push(
        figure('Redis round trips per poll, unchanged page (200)', unchanged.trips, 'trips', {
          atMost: 1,
        }),
        figure('Redis commands per poll, unchanged page (200)', unchanged.sent, 'commands'),
        figure('Redis round trips per poll, 304 Not Modified', notModified.trips, 'trips', {
          atMost: 1,
        }),
        figure('Redis commands per poll, 304 Not Modified', notModified.sent, 'commands'),
      );
    } finally {
      await pipeline.stop();
      await opened.dispose();
      client.disconnect();
      monitor.disconnect();
      await pages.close();
    }
    return figures;
  },
};
