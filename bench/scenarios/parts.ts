import { performance } from 'node:perf_hooks';
import type { Component, Incident, Snapshot } from '../../src/incidents/model.js';
import { reconcile } from '../../src/incidents/reconcile.js';
import { route } from '../../src/incidents/router.js';
import type { ServiceState } from '../../src/incidents/state.js';
import type { Subscription } from '../../src/incidents/subscription.js';
import { figure } from '../support/figure.js';
import { benchWorker } from '../support/instant-worker.js';
import { benchStores } from '../support/outbox-throughput.js';
import type { Scenario } from '../support/scenario.js';
import { BENCH_REDIS_URL } from '../support/stores.js';

/**
 * The parts on their own, for locating a cost the end-to-end scenarios show: reconcile, the
 * router, the delivery worker into a platform that answers at once, and the outbox of each store.
 * Context figures: no targets.
 */
export const partsScenario: Scenario = {
  name: 'parts',
  about: 'reconcile, router, delivery worker and outbox on their own',
  async run() {
    const router = benchRouter(10_000);
    const stores = await benchStores({ redisUrl: BENCH_REDIS_URL });
    return [
      figure(
        'reconcile, 3 open incidents and 40 components, polls/s',
        benchReconcile(1_000, 5),
        '/s',
      ),
      figure(
        `router, 1 event x 10,000 subscriptions (${router.deliveries} deliveries)`,
        router.ms,
        'ms',
      ),
      figure(
        'delivery worker into an instant platform (32 in flight), messages/s',
        await benchWorker(200, 10),
        '/s',
      ),
      ...stores.flatMap((s) => [
        figure(`outbox enqueue (${s.kind}), deliveries/s`, s.enqueuePerS, '/s'),
        figure(`outbox claim + complete (${s.kind}), deliveries/s`, s.completePerS, '/s'),
      ]),
    ];
  },
};

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

function benchReconcile(services: number, polls: number): number {
  const states = new Map<string, ServiceState | undefined>();
  const started = performance.now();
  for (let poll = 0; poll < polls; poll++) {
    for (let s = 0; s < services; s++) {
      const id = `svc${s}`;
      const result = reconcile(states.get(id), snapshot(id, poll, 3, 40), { serviceName: id });
      states.set(id, result.state);
    }
  }
  const ms = performance.now() - started;
  return ((services * polls) / ms) * 1000;
}

function benchRouter(subscriptions: number): { deliveries: number; ms: number } {
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
  return { deliveries: deliveries.length, ms };
}
