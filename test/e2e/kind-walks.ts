import { readFileSync } from 'node:fs';
import { type FixtureServer, startFixtureServer } from '../fakes/fixture-server.js';
import type { ServiceSpec } from '../helpers/e2e-env.js';
import { KIND_LAYOUT } from '../unit/sources/page-kinds.js';

/**
 * For each source kind but statuspage and probe: a fixture server, the service pointing at it,
 * and the walk of its written fixtures through the states the kind can tell (open, update,
 * resolved; maintenance scheduled, in progress, completed where it carries maintenance).
 */

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

const fixturePath = (kind: string, name: string) =>
  new URL(`../fixtures/${kind}/${name}`, import.meta.url);
const text = (kind: string, name: string) => readFileSync(fixturePath(kind, name), 'utf8');
const bytes = (kind: string, name: string) => readFileSync(fixturePath(kind, name));

/** ISO-8601 timestamps with a zone, as the JSON fixtures write them. */
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/**
 * `body` as if read at `asAt`: every timestamp moved by (now - asAt). The bot runs on the real
 * clock, and some kinds judge by time (a maintenance window passed, an incident ended long ago).
 */
function asIfAt(body: string, asAt: string, now = Date.now()): string {
  const delta = now - Date.parse(asAt);
  return body.replace(ISO_TIME, (t) => new Date(Date.parse(t) + delta).toISOString());
}

const ATOM = { 'content-type': 'application/atom+xml; charset=utf-8' };

/**
 * Serves one written multi-endpoint fixture (path -> JSON body), as if read at `asAt` when
 * given; its other paths get 404.
 */
function servePageFixture(server: FixtureServer, kind: string, name: string, asAt?: string): void {
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
const READ_AT: Record<string, Record<string, string>> = {
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
const INCIDENT_LINES = {
  open: /^┏ \S+ \S+ Incident started: /,
  update: /^ {2}↳ \S+ Update \(/,
  resolved: /^ {2}↳ \S+ ✅ Resolved after /,
};
const MAINTENANCE_LINES = {
  scheduled: /^┏ \S+ 🔧 Maintenance scheduled: /,
  started: /^ {2}↳ \S+ Maintenance started/,
  completed: /^ {2}↳ \S+ Maintenance completed/,
};

/** What the console prints when a thread ends because its subject left the page. */
const INFERRED = {
  resolved:
    /^ {2}↳ \S+ ✅ Resolved after .* \(no longer listed on the status page\): No longer listed on the status page\.$/,
  completed:
    /^ {2}↳ \S+ Maintenance completed \(Completed\): No longer listed on the status page\.$/,
};
/** Page kinds whose written "resolved" / "completed" fixtures drop the subject from the page. */
const RESOLVED_BY_ABSENCE = new Set(['instatus', 'statusio']);
const COMPLETED_BY_ABSENCE = new Set(['incidentio', 'statusio']);

/** The status-page kinds whose written fixtures carry both incidents and maintenances. */
const PAGE_KINDS = ['incidentio', 'instatus', 'betterstack', 'statusio', 'cachet'] as const;

async function pageKindWalk(kind: string): Promise<KindWalk> {
  const server = await startFixtureServer();
  const layout = KIND_LAYOUT[kind];
  if (!layout) throw new Error(`no fixture layout for ${kind}`);
  const url = layout.url(server.url);
  const serve = (name: string) => () => servePageFixture(server, kind, name, READ_AT[kind]?.[name]);
  return {
    kind,
    server,
    pollPath: layout.paths[0] ?? '/',
    service: { id: kind, name: `${kind} page`, url, sources: [{ kind, url }] },
    baseline: serve('written-maintenance-completed'),
    steps: [
      { state: 'open', serve: serve('written-incident-open'), line: INCIDENT_LINES.open },
      { state: 'update', serve: serve('written-incident-updated'), line: INCIDENT_LINES.update },
      {
        state: 'resolved',
        serve: serve('written-incident-resolved'),
        line: RESOLVED_BY_ABSENCE.has(kind) ? INFERRED.resolved : INCIDENT_LINES.resolved,
      },
      {
        state: 'maintenance scheduled',
        serve: serve('written-maintenance-scheduled'),
        line: MAINTENANCE_LINES.scheduled,
      },
      {
        state: 'maintenance in progress',
        serve: serve('written-maintenance-in-progress'),
        line: MAINTENANCE_LINES.started,
      },
      {
        state: 'maintenance completed',
        serve: serve('written-maintenance-completed'),
        line: COMPLETED_BY_ABSENCE.has(kind) ? INFERRED.completed : MAINTENANCE_LINES.completed,
      },
    ],
  };
}

async function feedWalk(): Promise<KindWalk> {
  const server = await startFixtureServer();
  const url = `${server.url}/feed.xml`;
  const serve = (name: string) => () =>
    server.set('/feed.xml', { headers: ATOM, body: text('feed', name) });
  return {
    kind: 'feed',
    server,
    pollPath: '/feed.xml',
    service: {
      id: 'feed',
      name: 'Feed page',
      url,
      sources: [{ kind: 'feed', url, convention: 'statuspage' }],
    },
    baseline: serve('feed-empty-all-clear-2026-08.xml'),
    steps: [
      {
        state: 'open',
        serve: serve('incident-10330972-snapshot-2022-06-17.xml'),
        line: INCIDENT_LINES.open,
      },
      {
        state: 'update',
        serve: serve('incident-10330972-written-identified.xml'),
        line: INCIDENT_LINES.update,
      },
      {
        state: 'resolved',
        serve: serve('incident-10330972-snapshot-2022-06-18.xml'),
        line: INCIDENT_LINES.resolved,
      },
      {
        state: 'maintenance scheduled',
        serve: serve('incident-16051676-snapshot-2023-02-08.xml'),
        line: MAINTENANCE_LINES.scheduled,
      },
      {
        state: 'maintenance in progress',
        serve: serve('incident-16051676-snapshot-2023-02-09.xml'),
        line: MAINTENANCE_LINES.started,
      },
      {
        state: 'maintenance completed',
        serve: serve('incident-16051676-snapshot-2023-02-10.xml'),
        line: MAINTENANCE_LINES.completed,
      },
    ],
  };
}

async function gcpWalk(): Promise<KindWalk> {
  const server = await startFixtureServer();
  const url = `${server.url}/incidents.json`;
  // Read as on the day of the incident: the kind keeps resolved incidents for a week only. One
  // shift for the whole walk, as update ids are made of their timestamps.
  const startedAt = Date.now();
  const serve = (name: string) => () =>
    server.set('/incidents.json', {
      body: name === '' ? '[]' : asIfAt(text('gcp', name), '2023-03-10T15:00:00Z', startedAt),
    });
  return {
    kind: 'gcp',
    server,
    pollPath: '/incidents.json',
    service: {
      id: 'gcp',
      name: 'Google Cloud',
      url,
      sources: [{ kind: 'gcp', url, products: ['Google BigQuery'] }],
    },
    baseline: serve(''),
    steps: [
      { state: 'open', serve: serve('written-bigquery-open.json'), line: INCIDENT_LINES.open },
      {
        state: 'update',
        serve: serve('written-bigquery-update.json'),
        line: INCIDENT_LINES.update,
      },
      {
        state: 'resolved',
        serve: serve('written-bigquery-resolved.json'),
        line: INCIDENT_LINES.resolved,
      },
    ],
  };
}

async function awsWalk(): Promise<KindWalk> {
  const server = await startFixtureServer();
  const path = '/public/currentevents';
  const url = `${server.url}${path}`;
  const serve = (name: string) => () => server.set(path, { body: bytes('aws', name) });
  return {
    kind: 'aws',
    server,
    pollPath: path,
    service: { id: 'aws', name: 'AWS', url, sources: [{ kind: 'aws', url }] },
    baseline: serve('written-all-clear.utf16be-bom.json'),
    steps: [
      // The open fixture also carries a long-running me-central-1 event, opened alongside.
      {
        state: 'open',
        serve: serve('written-usw2-open.utf16be-bom.json'),
        line: /^┏ \S+ 🟡 Incident started: AWS — Internet Connectivity in the US-WEST-2 Region$/,
      },
      {
        state: 'update',
        serve: serve('written-usw2-update.utf16le-bom.json'),
        line: INCIDENT_LINES.update,
      },
      {
        state: 'resolved',
        serve: serve('written-usw2-resolved.utf16be-bom.json'),
        line: INCIDENT_LINES.resolved,
      },
    ],
  };
}

async function slackWalk(): Promise<KindWalk> {
  const server = await startFixtureServer();
  const path = '/api/v2.0.0/current';
  const serve = (name: string) => () => server.set(path, { body: text('slack', name) });
  return {
    kind: 'slack',
    server,
    pollPath: path,
    service: {
      id: 'slack',
      name: 'Slack',
      url: server.url,
      sources: [{ kind: 'slack', url: server.url }],
    },
    baseline: serve('docs-example-current-ok.json'),
    steps: [
      { state: 'open', serve: serve('current-active-2023-09-26.json'), line: INCIDENT_LINES.open },
      { state: 'update', serve: serve('written-active-update.json'), line: INCIDENT_LINES.update },
      // Slack's current status lists only what is active: the incident is resolved by its absence.
      {
        state: 'resolved (absent)',
        serve: serve('docs-example-current-ok.json'),
        line: /^ {2}↳ \S+ ✅ Resolved after .* \(no longer listed on the status page\)/,
      },
      {
        state: 'maintenance scheduled',
        serve: serve('written-maintenance-scheduled.json'),
        line: MAINTENANCE_LINES.scheduled,
      },
      {
        state: 'maintenance completed',
        serve: serve('written-maintenance-completed.json'),
        line: MAINTENANCE_LINES.completed,
      },
    ],
  };
}

async function metastatusWalk(): Promise<KindWalk> {
  const server = await startFixtureServer();
  const orgs = '/data/orgs.json';
  const outages = '/data/outages/whatsapp-business-api.json';
  const url = `${server.url}/whatsapp-business-api`;
  const serve = (orgsName: string, outagesName: string) => () => {
    server.set(orgs, { body: text('metastatus', orgsName) });
    server.set(outages, { body: text('metastatus', outagesName) });
  };
  return {
    kind: 'metastatus',
    server,
    pollPath: orgs,
    service: { id: 'metastatus', name: 'WhatsApp', url, sources: [{ kind: 'metastatus', url }] },
    baseline: serve('written-orgs-healthy.json', 'written-outages-none.json'),
    steps: [
      {
        state: 'open',
        serve: serve('written-orgs-cloud-api-disrupted.json', 'written-outages-open.json'),
        line: INCIDENT_LINES.open,
      },
      {
        state: 'update',
        serve: serve('written-orgs-cloud-api-disrupted.json', 'written-outages-update.json'),
        line: INCIDENT_LINES.update,
      },
      // Meta lists only current outages: the incident is resolved by its absence.
      {
        state: 'resolved (absent)',
        serve: serve('written-orgs-healthy.json', 'written-outages-none.json'),
        line: /^ {2}↳ \S+ ✅ Resolved after .* \(no longer listed on the status page\)/,
      },
    ],
  };
}

/** One walk per kind, each on its own fixture server (the caller closes them). */
export async function allKindWalks(): Promise<KindWalk[]> {
  return Promise.all([
    ...PAGE_KINDS.map(pageKindWalk),
    feedWalk(),
    gcpWalk(),
    awsWalk(),
    slackWalk(),
    metastatusWalk(),
  ]);
}
