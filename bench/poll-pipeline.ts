import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { Service } from '../src/incidents/model.js';
import { pollService } from '../src/scheduler/poll-service.js';
import { PollScheduler } from '../src/scheduler/scheduler.js';
import { createSource } from '../src/sources/registry.js';
import { DEFAULT_FETCH_LIMITS, type Source } from '../src/sources/source.js';
import { SqliteStore } from '../src/store/embedded/sqlite-store.js';

/**
 * The whole poll path for many services at once: HTTP fetch of summary.json and incidents.json
 * from a local server, parsing, reconcile, routing and the store commit, through the real
 * scheduler with its concurrency limit. Every page carries one open incident with one update.
 */

const COMPONENTS = Array.from({ length: 30 }, (_, i) => ({
  id: `comp${i}`,
  name: `Component ${i}`,
  status: i === 0 ? 'partial_outage' : 'operational',
  group_id: null,
  group: false,
}));

function incident(page: string) {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id: `inc-${page}`,
    name: `Elevated errors on ${page}`,
    status: 'investigating',
    impact: 'major',
    created_at: at,
    updated_at: at,
    started_at: at,
    resolved_at: null,
    shortlink: null,
    components: [COMPONENTS[0]],
    incident_updates: [
      {
        id: `upd-${page}`,
        status: 'investigating',
        body: 'We are investigating.',
        created_at: at,
        display_at: at,
      },
    ],
  };
}

function startPages(): Promise<Server> {
  const server = createServer((req, res) => {
    const [, page = 'x', ...rest] = (req.url ?? '/').split('/');
    const path = `/${rest.join('/')}`;
    const meta = {
      id: page,
      name: page,
      url: `http://status.example/${page}`,
      updated_at: '2026-01-01T00:00:00Z',
    };
    const body =
      path === '/api/v2/summary.json'
        ? {
            page: meta,
            status: { indicator: 'major', description: 'Partial outage' },
            components: COMPONENTS,
            incidents: [incident(page)],
            scheduled_maintenances: [],
          }
        : path === '/api/v2/incidents.json'
          ? { page: meta, incidents: [incident(page)] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body ? JSON.stringify(body) : '{}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function benchPollPipeline(services: number, concurrency: number): Promise<string> {
  const server = await startPages();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-bench-'));
  const logger = pino({ level: 'silent' });
  const store = new SqliteStore({ dataDir, logger });
  const now = () => new Date();
  const sources = new Map<string, Source>();
  const list: Service[] = Array.from({ length: services }, (_, i) => ({
    id: `svc${i}`,
    name: `Service ${i}`,
    aliases: [],
    sources: [{ kind: 'statuspage', url: `http://127.0.0.1:${port}/svc${i}` }],
    trusted: true,
  }));
  const deps = {
    fetch: globalThis.fetch,
    now,
    logger,
    limits: DEFAULT_FETCH_LIMITS,
    userAgent: 'bench',
  };
  const sourceFor = (service: Service): Source => {
    const existing = sources.get(service.id);
    if (existing) return existing;
    const created = createSource(
      service,
      service.sources[0] ?? { kind: 'statuspage', url: '' },
      deps,
    );
    sources.set(service.id, created);
    return created;
  };
  const scheduler = new PollScheduler({
    schedule: '0 0 1 1 *',
    services: async () => list,
    pollOne: (service, signal) =>
      pollService(service, signal, {
        store,
        sourceFor,
        logger,
        now,
        owner: 'bench',
        leaseMs: 30_000,
        onEnqueued: () => {},
      }),
    logger,
    now: () => Date.now(),
    concurrency,
    timeoutMs: 30_000,
    jitterMs: 0,
    backoff: { baseMs: 1_000, maxMs: 1_000 },
  });
  const rounds: number[] = [];
  try {
    for (let round = 0; round < 2; round++) {
      const started = performance.now();
      await Promise.all(list.map((service) => scheduler.pollNow(service)));
      rounds.push(performance.now() - started);
    }
  } finally {
    await scheduler.stop();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  }
  const [first = 0, second = 0] = rounds;
  return `poll pipeline: ${services} services (HTTP + parse + reconcile + embedded commit, concurrency ${concurrency}): first round ${first.toFixed(0)} ms, steady round ${second.toFixed(0)} ms = ${Math.round((services / second) * 1000)} polls/s`;
}
