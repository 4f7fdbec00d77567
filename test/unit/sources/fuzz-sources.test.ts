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
import { KIND_LAYOUT, SINGLE_DOCUMENT_KINDS } from './page-kinds.js';

/**
 * Every registered source kind, fed random, truncated and wrongly typed bodies over real HTTP:
 * each poll is a typed failure or a well-formed snapshot, never a throw; a failure changes no
 * incident; and a snapshot only holds incidents whose titles are in what was served.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
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

const STAND_IN_TITLES = new Set([
  'Slack incident',
  'Slack maintenance',
  'Google Cloud incident',
  'AWS event',
  'Meta platform',
  'Untitled',
]);

/** Real and written bodies for a kind, path -> body; kinds without fixtures get Statuspage's. */
function seedBodies(kind: string): Record<string, string>[] {
  const dir = new URL(`${kind}/`, fixturesDir);
  if (SINGLE_DOCUMENT_KINDS.has(kind)) {
    const path = KIND_LAYOUT[kind]?.paths[0] ?? '*';
    return readdirSync(dir)
      .filter((f) => /\.(json|xml)$/.test(f))
      .map((f) => ({ [path]: readFileSync(new URL(f, dir), 'utf8') }));
  }
  if (kind === 'metastatus') {
    const [orgsPath = '*', outagesPath = '*'] = KIND_LAYOUT[kind]?.paths ?? [];
    const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');
    return [
      'written-outages-none.json',
      'written-outages-open.json',
      'written-outages-update.json',
    ].map((f) => ({
      [orgsPath]: read('written-orgs-cloud-api-disrupted.json'),
      [outagesPath]: read(f),
    }));
  }
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return seedBodies('statuspage');
  }
  const written = files.filter((f) => f.startsWith('written-'));
  const base = written.length
    ? (JSON.parse(readFileSync(new URL(written[0] as string, dir), 'utf8')) as Record<
        string,
        unknown
      >)
    : undefined;
  return files.map((file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    if (file.startsWith('written-')) {
      const map = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(map).map(([p, b]) => [p, JSON.stringify(b)]));
    }
    if (!base) return { '*': text };
    // A recorded payload of one endpoint: served at the path whose written body it resembles,
    // the other paths keeping their written bodies.
    const bodies = Object.fromEntries(Object.entries(base).map(([p, b]) => [p, JSON.stringify(b)]));
    bodies[closestPath(base, JSON.parse(text))] = text;
    return bodies;
  });
}

const topKeys = (json: unknown): string[] =>
  json !== null && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json) : [];

function closestPath(bodies: Record<string, unknown>, json: unknown): string {
  const keys = new Set(topKeys(json));
  const score = (b: unknown) => topKeys(b).filter((k) => keys.has(k)).length;
  const ranked = Object.entries(bodies).sort(([, a], [, b]) => score(b) - score(a));
  return ranked[0]?.[0] ?? '*';
}

/** What a fuzzed place is set to: often a string (an unknown enum value), else another type. */
const wrongValue = fc.oneof(
  { arbitrary: fc.string(), weight: 3 },
  fc.constant(null),
  fc.integer(),
  fc.string(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant([null]),
);
/** Every place in a JSON tree, as key paths; the root is []. */
function placesIn(json: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (json === null || typeof json !== 'object') return [at];
  const keys = Array.isArray(json) ? json.map((_, i) => i) : Object.keys(json);
  return [
    at,
    ...keys.flatMap((k) => placesIn((json as Record<string | number, unknown>)[k], [...at, k])),
  ];
}

function replaceAt(json: unknown, place: (string | number)[], value: unknown): unknown {
  const [key, ...rest] = place;
  if (key === undefined || json === null || typeof json !== 'object') return value;
  const copy = (Array.isArray(json) ? [...json] : { ...json }) as Record<string | number, unknown>;
  copy[key] = replaceAt(copy[key], rest, value);
  return copy;
}

type Served = Record<string, string | Buffer>;

/** A real or written body with one value anywhere in it replaced by one of another type. */
const mutatedSeed = (seeds: Record<string, string>[]) =>
  fc
    .tuple(fc.nat(seeds.length - 1), fc.nat(), fc.nat(), wrongValue)
    .map(([i, which, pick, value]): Served => {
      const seed = { ...seeds[i] };
      const paths = Object.keys(seed);
      const path = paths[which % paths.length] as string;
      let json: unknown;
      try {
        json = JSON.parse(seed[path] ?? 'null');
      } catch {
        // An XML feed: truncation and random bodies exercise it; a typed mutation cannot.
        return seed;
      }
      const places = placesIn(json);
      const place = places[pick % places.length] ?? [];
      seed[path] = JSON.stringify(replaceAt(json, place, value)) ?? '';
      return seed;
    });

const bodyFor = (seeds: Record<string, string>[]) =>
  fc.oneof(
    { arbitrary: mutatedSeed(seeds), weight: 4 },
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
  // A title is made of served text: whole, or (metastatus: "<service>: <status>") in parts; an
  // item the page left untitled gets its kind's stand-in, never text from elsewhere.
  const isServed = (part: string) => {
    if (STAND_IN_TITLES.has(part)) return true;
    const escaped = JSON.stringify(part).slice(1, -1);
    return texts.some((t) => t.includes(escaped) || t.includes(part));
  };
  for (const subject of [...snapshot.incidents, ...snapshot.maintenances]) {
    const parts = subject.title.split(': ');
    expect(isServed(subject.title) || parts.every(isServed), subject.title).toBe(true);
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
