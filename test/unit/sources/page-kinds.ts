import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import type { PollResult, Snapshot } from '../../../src/incidents/model.js';
import { type ReconcileResult, reconcile } from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import { createSource } from '../../../src/sources/registry.js';
import type { Source } from '../../../src/sources/source.js';
import { type FixtureServer, startFixtureServer } from '../../fakes/fixture-server.js';
import { service, sourceDeps } from './helpers.js';

/** The status.io page id the written fixtures use. */
export const STATUSIO_PAGE = '5516e01e2e55e4e917000005';

/**
 * How each source kind is pointed at a fixture server: its configured URL, and the paths a poll
 * requests, the first being the one whose failure fails the poll. Kinds not listed here (added
 * later) are polled at the server root and served the same body at every path.
 */
export const KIND_LAYOUT: Record<string, { url: (base: string) => string; paths: string[] }> = {
  statuspage: { url: (b) => b, paths: ['/api/v2/summary.json', '/api/v2/incidents.json'] },
  incidentio: {
    url: (b) => b,
    paths: ['/api/v2/summary.json', '/api/v2/incidents.json', '/api/v1/summary'],
  },
  instatus: { url: (b) => b, paths: ['/summary.json', '/v2/components.json'] },
  betterstack: { url: (b) => b, paths: ['/index.json'] },
  statusio: {
    url: (b) => `${b}/1.0/status/${STATUSIO_PAGE}`,
    paths: [`/1.0/status/${STATUSIO_PAGE}`],
  },
  cachet: {
    url: (b) => b,
    paths: ['/api/v1/components', '/api/v1/incidents', '/api/v1/schedules'],
  },
  feed: { url: (b) => `${b}/feed.xml`, paths: ['/feed.xml'] },
  gcp: { url: (b) => `${b}/incidents.json`, paths: ['/incidents.json'] },
  aws: { url: (b) => `${b}/public/currentevents`, paths: ['/public/currentevents'] },
  slack: { url: (b) => b, paths: ['/api/v2.0.0/current'] },
  metastatus: {
    url: (b) => `${b}/whatsapp-business-api`,
    paths: ['/data/orgs.json', '/data/outages/whatsapp-business-api.json'],
  },
};

/** Kinds that read one document: every fixture file is a whole body, served at their path. */
export const SINGLE_DOCUMENT_KINDS = new Set(['feed', 'gcp', 'aws', 'slack']);

export const readFixture = (kind: string, name: string): string =>
  readFileSync(new URL(`../../fixtures/${kind}/${name}`, import.meta.url), 'utf8');

/** A written fixture: a map path -> JSON body, one entry per endpoint the kind reads. */
export const writtenFixture = (kind: string, name: string): Record<string, unknown> =>
  JSON.parse(readFixture(kind, `${name}.json`));

export interface KindHarness {
  server: FixtureServer;
  source: Source;
  /** The source's clock; move it to date the next poll. */
  clock: { now: Date };
  /** Serve a written fixture's bodies (404 for paths it leaves out). */
  serve(name: string): void;
  poll(): Promise<PollResult>;
  snapshot(): Promise<Snapshot>;
}

/** A fixture server and a `kind` source polling it, for one test; closed after it. */
export function harnessPerTest(kind: string): () => Promise<KindHarness> {
  let server: FixtureServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async () => {
    server = await startFixtureServer();
    const live = server;
    const clock = { now: new Date('2026-10-01T12:00:00.000Z') };
    const url = (KIND_LAYOUT[kind]?.url ?? ((b: string) => b))(live.url);
    const source = createSource(service(url), { kind, url }, sourceDeps({ now: () => clock.now }));
    const served = new Set<string>();
    const poll = () => source.poll();
    return {
      server: live,
      source,
      clock,
      serve(name) {
        for (const path of served) live.set(path, undefined);
        served.clear();
        for (const [path, body] of Object.entries(writtenFixture(kind, name))) {
          live.set(path, { body: JSON.stringify(body) });
          served.add(path);
        }
      },
      poll,
      async snapshot() {
        const result = await poll();
        if (!result.ok || result.notModified) {
          throw new Error(`expected a snapshot, got ${JSON.stringify(result)}`);
        }
        return result.snapshot;
      },
    };
  };
}

/**
 * Polls a sequence of written fixtures (each `[name, clock]`) through the real reconcile and
 * returns the events of each poll after the first (the baseline).
 */
export async function walk(
  harness: KindHarness,
  steps: [fixture: string, at: string][],
): Promise<ReconcileResult['events'][]> {
  let state: ServiceState | undefined;
  const perPoll: ReconcileResult['events'][] = [];
  for (const [name, at] of steps) {
    harness.clock.now = new Date(at);
    harness.serve(name);
    const snapshot = await harness.snapshot();
    const result = reconcile(state, snapshot, { serviceName: 'Acme' });
    state = result.state;
    perPoll.push(result.events);
  }
  return perPoll.slice(1);
}

/** The parts of an event a user sees: what kind of message, about what, with which text. */
export const seen = (events: ReconcileResult['events']) =>
  events.map((e) => ({
    type: e.type,
    subject: e.subject.id,
    status: e.subject.status,
    text: e.update?.body,
    ...(e.inferred ? { inferred: true } : {}),
  }));
