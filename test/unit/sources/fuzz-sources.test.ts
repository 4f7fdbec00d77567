import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  COMPONENT_STATUSES,
  IMPACTS,
  INCIDENT_STATUSES,
  MAINTENANCE_STATUSES,
  type PollResult,
  type Snapshot,
} from '../../../src/incidents/model.js';
import { failedObservation, reconcile } from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import { createSource, SOURCE_KINDS } from '../../../src/sources/registry.js';
import type { Source } from '../../../src/sources/source.js';
import { type FixtureServer, startFixtureServer } from '../../fakes/fixture-server.js';
import { service, sourceDeps } from './helpers.js';
import { KIND_LAYOUT } from './page-kinds.js';

/**
 * Every registered source kind, fed random, truncated and wrongly typed bodies over real HTTP:
 * each poll is a typed failure or a well-formed snapshot, never a throw; a failure changes no
 * incident; and a snapshot only holds incidents whose titles are in what was served.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const iso = z.string().refine((s) => new Date(s).toISOString() === s, 'not ISO UTC');
const updateSchema = z.object({
  id: z.string().min(1),
  status: z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]),
  body: z.string(),
  at: iso,
});
const snapshotSchema = z.object({
  serviceId: z.literal('acme'),
  fetchedAt: iso,
  incidents: z.array(
    z.object({
      id: z.string().min(1),
      title: z.string(),
      status: z.enum(INCIDENT_STATUSES),
      impact: z.enum(IMPACTS),
      components: z.array(z.string()),
      updates: z.array(updateSchema),
      startedAt: iso,
      resolvedAt: iso.optional(),
      url: z.string().optional(),
    }),
  ),
  maintenances: z.array(
    z.object({
      id: z.string().min(1),
      title: z.string(),
      status: z.enum(MAINTENANCE_STATUSES),
      impact: z.enum(IMPACTS),
      components: z.array(z.string()),
      updates: z.array(updateSchema),
      scheduledFor: iso,
      scheduledUntil: iso.optional(),
    }),
  ),
  components: z.array(
    z.object({ id: z.string().min(1), name: z.string(), status: z.enum(COMPONENT_STATUSES) }),
  ),
  resolutionsKnown: z.boolean(),
});
const FAILURE_KINDS = ['timeout', 'http_status', 'bad_body', 'too_large', 'network'] as const;

const fixturesDir = new URL('../../fixtures/', import.meta.url);

/** Real and written bodies for a kind, path -> body; kinds without fixtures get Statuspage's. */
function seedBodies(kind: string): Record<string, string>[] {
  const dir = new URL(`${kind}/`, fixturesDir);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return seedBodies('statuspage');
  }
  const paths = KIND_LAYOUT[kind]?.paths ?? ['*'];
  return files.map((file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    if (file.startsWith('written-')) {
      const map = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(map).map(([p, b]) => [p, JSON.stringify(b)]));
    }
    // A recorded payload of one endpoint: served at every path the kind reads.
    return Object.fromEntries(paths.map((p) => [p, text]));
  });
}

/** Sets the value at a random place in a JSON tree to a value of another type. */
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.string(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant([null]),
);
function mutate(json: unknown, pick: number[], value: unknown): unknown {
  if (json === null || typeof json !== 'object' || pick.length === 0) return value;
  const keys = Array.isArray(json) ? json.map((_, i) => i) : Object.keys(json);
  if (keys.length === 0) return value;
  const [head = 0, ...rest] = pick;
  const key = keys[head % keys.length] as string | number;
  const copy = (Array.isArray(json) ? [...json] : { ...json }) as Record<string | number, unknown>;
  copy[key] = mutate((json as Record<string | number, unknown>)[key], rest, value);
  return copy;
}

type Served = Record<string, string | Buffer>;

const bodyFor = (seeds: Record<string, string>[]) =>
  fc.oneof(
    fc.jsonValue().map((v): Served => ({ '*': JSON.stringify(v) ?? 'null' })),
    fc.uint8Array({ maxLength: 300 }).map((b): Served => ({ '*': Buffer.from(b) })),
    fc
      .tuple(fc.nat(seeds.length - 1), fc.nat(), fc.double({ min: 0, max: 0.999, noNaN: true }))
      .map(([i, which, cut]): Served => {
        const seed = { ...seeds[i] };
        const paths = Object.keys(seed);
        const path = paths[which % paths.length] as string;
        const text = (seed[path] ?? '').trimEnd();
        seed[path] = text.slice(0, Math.floor(text.length * cut));
        return seed;
      }),
    fc
      .tuple(fc.nat(seeds.length - 1), fc.nat(), fc.array(fc.nat(), { maxLength: 8 }), wrongValue)
      .map(([i, which, pick, value]): Served => {
        const seed = { ...seeds[i] };
        const paths = Object.keys(seed);
        const path = paths[which % paths.length] as string;
        seed[path] = JSON.stringify(mutate(JSON.parse(seed[path] ?? 'null'), pick, value)) ?? '';
        return seed;
      }),
  );

/** A baseline with one open incident that no fuzzed poll may close. */
function baselineWithOpenIncident(): ServiceState {
  const at = '2026-10-01T11:00:00.000Z';
  const snapshot: Snapshot = {
    serviceId: 'acme',
    fetchedAt: at,
    incidents: [
      {
        id: 'fuzz-open',
        title: 'Open before fuzzing',
        status: 'investigating',
        impact: 'major',
        components: [],
        updates: [],
        startedAt: at,
        origin: 'status_page',
      },
    ],
    maintenances: [],
    components: [],
    resolutionsKnown: true,
  };
  return reconcile(undefined, snapshot, { serviceName: 'Acme' }).state;
}

const served = (body: Served) =>
  Object.values(body).map((b) => (typeof b === 'string' ? b : b.toString('utf8')));

function checkPoll(result: PollResult, body: Served, baseline: ServiceState): void {
  if (!result.ok) {
    expect(FAILURE_KINDS).toContain(result.failure.kind);
    expect(typeof result.failure.message).toBe('string');
    const after = reconcile(
      baseline,
      failedObservation('acme', result.failure, '2026-10-01T12:00:00.000Z'),
      { serviceName: 'Acme' },
    );
    expect(after.events).toEqual([]);
    expect(after.state.subjects['fuzz-open']?.closedAt).toBeUndefined();
    return;
  }
  if (result.notModified) return;
  const snapshot = snapshotSchema.parse(result.snapshot);
  const texts = served(body);
  for (const subject of [...snapshot.incidents, ...snapshot.maintenances]) {
    const escaped = JSON.stringify(subject.title).slice(1, -1);
    expect(texts.some((t) => t.includes(escaped) || t.includes(subject.title))).toBe(true);
  }
  const { events } = reconcile(baseline, result.snapshot, { serviceName: 'Acme' });
  // One poll without it is not enough to resolve it (rule 5): no fuzzed page closes it at once.
  expect(events.filter((e) => e.subject.id === 'fuzz-open')).toEqual([]);
}

describe.each(Object.keys(SOURCE_KINDS))('fuzzed %s bodies', (kind) => {
  let server: FixtureServer;
  let source: Source;
  beforeAll(async () => {
    server = await startFixtureServer();
    const url = (KIND_LAYOUT[kind]?.url ?? ((b: string) => b))(server.url);
    source = createSource(service(url), { kind, url }, sourceDeps());
  });
  afterAll(() => server.close());

  it('each poll is a typed failure or a valid snapshot, and a failure closes nothing', async () => {
    const baseline = baselineWithOpenIncident();
    const paths = KIND_LAYOUT[kind]?.paths ?? [];
    await fc.assert(
      fc.asyncProperty(bodyFor(seedBodies(kind)), async (body) => {
        for (const path of paths) server.set(path, undefined);
        const all = body['*'];
        server.setFallback(all === undefined ? undefined : { body: all });
        for (const [path, b] of Object.entries(body)) {
          if (path !== '*') server.set(path, { body: b });
        }
        const result = await source.poll();
        checkPoll(result, body, baseline);
      }),
      { numRuns: RUNS },
    );
  });
});
