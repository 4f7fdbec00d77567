import { readFileSync } from 'node:fs';
import type { FixtureServer } from '../fakes/fixture-server.js';
import type { ServiceSpec } from '../helpers/e2e-env.js';
import { KIND_LAYOUT } from '../unit/sources/page-kinds.js';

export interface WalkStep {
  /** What the state is, for timeout messages. */
  state: string;
  /** Serves this step's fixture bodies. */
  serve(): void;
  /** The console line this step must make appear (after the `[<service>:<id>]` tag). */
  line: RegExp;
}

export interface KindWalk {
  kind: string;
  service: ServiceSpec;
  server: FixtureServer;
  /** The path every poll requests first; its request count tells how many polls happened. */
  pollPath: string;
  /** What the page says before anything happens (the baseline). */
  baseline(): void;
  steps: WalkStep[];
}

export const fixturePath = (kind: string, name: string) =>
  new URL(`../fixtures/${kind}/${name}`, import.meta.url);
export const text = (kind: string, name: string) => readFileSync(fixturePath(kind, name), 'utf8');
export const bytes = (kind: string, name: string) => readFileSync(fixturePath(kind, name));

/** ISO-8601 timestamps with a zone, as the JSON fixtures write them. */
export const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/**
 * `body` as if read at `asAt`: every timestamp moved by (now - asAt). The bot runs on the real
 * clock, and some kinds judge by time (a maintenance window passed, an incident ended long ago).
 */
export function asIfAt(body: string, asAt: string, now = Date.now()): string {
  const delta = now - Date.parse(asAt);
  return body.replace(ISO_TIME, (t) => new Date(Date.parse(t) + delta).toISOString());
}

export const ATOM = { 'content-type': 'application/atom+xml; charset=utf-8' };

/**
 * Serves one written multi-endpoint fixture (path -> JSON body), as if read at `asAt` when
 * given; its other paths get 404.
 */
export function servePageFixture(
  server: FixtureServer,
  kind: string,
  name: string,
  asAt?: string,
): void {
  const bodies = JSON.parse(text(kind, `${name}.json`)) as Record<string, unknown>;
  for (const path of KIND_LAYOUT[kind]?.paths ?? []) server.set(path, undefined);
  for (const [path, body] of Object.entries(bodies)) {
    const json = JSON.stringify(body);
    server.set(path, { body: asAt ? asIfAt(json, asAt) : json });
  }
}

/**
 * When the unit walks read each page fixture (test/unit/sources/<kind>.test.ts): Better Stack
 * derives a maintenance's state from its window and the clock, so its fixtures are served as if
 * read then.
 */
export const READ_AT: Record<string, Record<string, string>> = {
  betterstack: {
    'written-incident-open': '2026-10-01T11:51:00.000Z',
    'written-incident-updated': '2026-10-01T12:11:00.000Z',
    'written-incident-resolved': '2026-10-01T12:31:00.000Z',
    'written-maintenance-scheduled': '2026-10-01T12:41:00.000Z',
    'written-maintenance-in-progress': '2026-10-02T02:01:00.000Z',
    'written-maintenance-completed': '2026-10-02T02:51:00.000Z',
  },
};

/** The lines of the incident states, then of the maintenance states. */
export const INCIDENT_LINES = {
  open: /^┏ \S+ \S+ Incident started: /,
  update: /^ {2}↳ \S+ Update \(/,
  resolved: /^ {2}↳ \S+ ✅ Resolved after /,
};
export const MAINTENANCE_LINES = {
  scheduled: /^┏ \S+ 🔧 Maintenance scheduled: /,
  started: /^ {2}↳ \S+ Maintenance started/,
  completed: /^ {2}↳ \S+ Maintenance completed/,
};

/** What the console prints when a thread ends because its subject left the page. */
export const INFERRED = {
  resolved:
    /^ {2}↳ \S+ ✅ Resolved after .* \(no longer listed on the status page\): No longer listed on the status page\.$/,
  completed:
    /^ {2}↳ \S+ Maintenance completed \(Completed\): No longer listed on the status page\.$/,
};
/** Page kinds whose written "resolved" / "completed" fixtures drop the subject from the page. */
export const RESOLVED_BY_ABSENCE = new Set(['instatus', 'statusio']);
export const COMPLETED_BY_ABSENCE = new Set(['incidentio', 'statusio']);
