import { startFixtureServer } from '../fakes/fixture-server.js';
import {
  ATOM,
  asIfAt,
  bytes,
  INCIDENT_LINES,
  type KindWalk,
  MAINTENANCE_LINES,
  text,
} from './kind-walk-helpers.js';
export async function feedWalk(): Promise<KindWalk> {
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

export async function gcpWalk(): Promise<KindWalk> {
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

export async function awsWalk(): Promise<KindWalk> {
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

export async function slackWalk(): Promise<KindWalk> {
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

export async function metastatusWalk(): Promise<KindWalk> {
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
