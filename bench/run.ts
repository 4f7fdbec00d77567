import { performance } from 'node:perf_hooks';
import type { Component, Incident, Snapshot } from '../src/incidents/model.js';
import { reconcile } from '../src/incidents/reconcile.js';
import { route } from '../src/incidents/router.js';
import type { ServiceState } from '../src/incidents/state.js';
import type { Subscription } from '../src/incidents/subscription.js';
import { benchPollPipeline } from './poll-pipeline.js';
import { benchStores } from './store-throughput.js';
import { benchWorker } from './worker.js';

/**
 * `npm run bench`: prints figures, asserts nothing. The README's benchmark table is copied from
 * this output; the machine it ran on is part of the figure.
 */

const BASE = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(BASE + ms).toISOString();

function snapshot(
  serviceId: string,
  poll: number,
  incidents: number,
  components: number,
): Snapshot {
  const comps: Component[] = Array.from({ length: components }, (_, i) => ({
    id: `c${i}`,
    name: `Component ${i}`,
    status: i < incidents ? 'partial_outage' : 'operational',
  }));
  const open: Incident[] = Array.from({ length: incidents }, (_, i) => ({
    id: `inc${i}`,
    title: `Incident ${i}`,
    status: 'investigating',
    impact: 'major',
    components: [`Component ${i}`],
    // One more update every poll: the steady state of a busy outage.
    updates: Array.from({ length: poll + 1 }, (_, u) => ({
      id: `inc${i}-u${u}`,
      status: 'investigating' as const,
      body: `Update ${u} for incident ${i}: we continue to investigate.`,
      at: iso(u * 60_000),
    })),
    startedAt: iso(0),
    url: `https://status.example.com/incidents/inc${i}`,
    origin: 'status_page',
  }));
  return {
    serviceId,
    fetchedAt: iso(poll * 60_000),
    incidents: open,
    maintenances: [],
    components: comps,
    resolutionsKnown: true,
  };
}

function benchReconcile(services: number, polls: number): string {
  const states = new Map<string, ServiceState | undefined>();
  let events = 0;
  const started = performance.now();
  for (let poll = 0; poll < polls; poll++) {
    for (let s = 0; s < services; s++) {
      const id = `svc${s}`;
      const result = reconcile(states.get(id), snapshot(id, poll, 3, 40), { serviceName: id });
      states.set(id, result.state);
      events += result.events.length;
    }
  }
  const ms = performance.now() - started;
  const calls = services * polls;
  return `reconcile: ${calls} polls (3 open incidents, 40 components each) in ${ms.toFixed(0)} ms = ${Math.round((calls / ms) * 1000)} polls/s, ${(ms / calls).toFixed(3)} ms/poll, ${events} events`;
}

function benchRouter(subscriptions: number): string {
  const first = reconcile(undefined, snapshot('svc', 0, 1, 5), { serviceName: 'Svc' });
  const { events } = reconcile(first.state, snapshot('svc', 1, 1, 5), { serviceName: 'Svc' });
  const subs: Subscription[] = Array.from({ length: subscriptions }, (_, i) => ({
    serviceId: 'svc',
    channel: {
      platform: i % 2 ? 'slack' : 'discord',
      workspaceId: `W${i % 50}`,
      channelId: `C${i}`,
    },
    filters: { minImpact: i % 4 === 0 ? 'critical' : 'minor', components: [] },
    mention: 'none',
    mentionMinImpact: 'critical',
    createdAt: iso(0),
    createdBy: 'bench',
  }));
  const started = performance.now();
  const deliveries = route(events, subs, { now: new Date(BASE) });
  const ms = performance.now() - started;
  return `router: ${events.length} event(s) x ${subscriptions} subscriptions -> ${deliveries.length} deliveries in ${ms.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  say(`outage-bot bench, node ${process.version}, ${new Date().toISOString()}`);
  say(benchReconcile(1_000, 5));
  say(benchRouter(10_000));
  say(await benchPollPipeline(1_000, 16));
  say(await benchWorker(200, 10));
  for (const line of await benchStores({
    redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  }))
    say(line);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${String(err)}\n`);
  process.exit(1);
});
