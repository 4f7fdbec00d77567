import type {
  Component,
  ComponentStatus,
  Impact,
  Incident,
  IncidentStatus,
  Maintenance,
  MaintenanceStatus,
  PollResult,
  Service,
  Snapshot,
  SourceConfig,
} from '../incidents/model.js';
import {
  type CachetComponent,
  type CachetIncident,
  type CachetSchedule,
  parseCachetComponents,
  parseCachetIncidents,
  parseCachetSchedules,
} from './cachet-schema.js';
import { ConditionalGet, unexpectedFailure } from './conditional-get.js';
import type { ParseResult } from './json-body.js';
import { derivedUpdateId, lookupIn, pageBaseUrl } from './normalize.js';
import { toPlainText } from './plain-text.js';
import type { Source, SourceDeps, SourceKind } from './source.js';

/**
 * Cachet 2.x (self-hosted). Each poll reads the components and the newest incidents (every
 * state, so resolutions are confirmed) and, where served (2.4+), the schedules. Incidents with
 * status 0 are Cachet's older way of announcing maintenance (upcoming until their time, then over). Cachet has no incident impact: it is
 * taken from the incident's component, else `minor`. Only the incident's own message is read
 * (one request per poll per list, not one per incident).
 */

export const CACHET_COMPONENTS_PATH = '/api/v1/components?per_page=100';
export const CACHET_INCIDENTS_PATH = '/api/v1/incidents?sort=id&order=desc&per_page=50';
export const CACHET_SCHEDULES_PATH = '/api/v1/schedules?sort=id&order=desc&per_page=50';

const COMPONENT_STATUS: Record<string, ComponentStatus> = {
  '0': 'operational',
  '1': 'operational',
  '2': 'degraded_performance',
  '3': 'partial_outage',
  '4': 'major_outage',
};
const IMPACT: Partial<Record<ComponentStatus, Impact>> = {
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};
const INCIDENT_STATUS: Record<string, IncidentStatus> = {
  '1': 'investigating',
  '2': 'identified',
  '3': 'monitoring',
  '4': 'resolved',
};
const SCHEDULE_STATUS: Record<string, MaintenanceStatus> = {
  '0': 'scheduled',
  '1': 'in_progress',
  '2': 'completed',
};

const code = (value: string | number | null | undefined) =>
  value === null || value === undefined ? undefined : String(value).trim();

/**
 * Cachet writes `YYYY-MM-DD HH:MM:SS` in the server's zone and says nothing of which; it is read
 * as UTC (most installs run in UTC). Anything else parseable (2.4 sends ISO) is taken as given.
 */
export function cachetTime(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const local = value.match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2})?)$/);
  const ms = Date.parse(local ? `${local[1]}T${local[2]}Z` : value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function messageUpdates(
  id: string,
  message: string | null | undefined,
  at: string,
  status: Incident['updates'][number]['status'],
) {
  const body = toPlainText(message ?? '');
  return body ? [{ id: `${id}:${derivedUpdateId(at, body)}`, status, body, at }] : [];
}

function toIncident(
  raw: CachetIncident,
  components: Map<string, Component>,
  baseUrl: string,
  fetchedAt: string,
): Incident {
  const status = lookupIn(INCIDENT_STATUS, code(raw.status)) ?? 'investigating';
  const startedAt = cachetTime(raw.occurred_at) ?? cachetTime(raw.created_at) ?? fetchedAt;
  const component = components.get(code(raw.component_id) ?? '');
  const incident: Incident = {
    id: raw.id,
    title: raw.name,
    status,
    impact: (component && IMPACT[component.status]) ?? 'minor',
    components: component ? [component.name] : [],
    updates: messageUpdates(raw.id, raw.message, startedAt, status),
    startedAt,
    url: `${baseUrl}/incidents/${encodeURIComponent(raw.id)}`,
    origin: 'status_page',
  };
  if (status === 'resolved') incident.resolvedAt = cachetTime(raw.updated_at) ?? startedAt;
  return incident;
}

function toMaintenance(
  id: string,
  raw: { name: string; message?: string | null; scheduled_at?: string | null },
  status: MaintenanceStatus,
  url: string,
  fetchedAt: string,
): Maintenance {
  const scheduledFor = cachetTime(raw.scheduled_at) ?? fetchedAt;
  return {
    id,
    title: raw.name,
    status,
    impact: 'none',
    components: [],
    updates: messageUpdates(id, raw.message, scheduledFor, status),
    scheduledFor,
    url,
  };
}

export function cachetSnapshot(input: {
  serviceId: string;
  fetchedAt: string;
  baseUrl: string;
  components: CachetComponent[];
  incidents: CachetIncident[];
  schedules: CachetSchedule[];
}): Snapshot {
  const { fetchedAt, baseUrl } = input;
  const components = input.components
    .filter((c) => c.enabled !== false && c.enabled !== 0)
    .map(
      (c): Component => ({
        id: c.id,
        name: c.name,
        status: lookupIn(COMPONENT_STATUS, code(c.status)) ?? 'operational',
      }),
    );
  const byId = new Map(components.map((c) => [c.id, c]));
  const incidents: Incident[] = [];
  const maintenances: Maintenance[] = [];
  for (const raw of input.incidents) {
    if (raw.visible === false || raw.visible === 0) continue;
    if (code(raw.status) === '0') {
      const start = cachetTime(raw.scheduled_at);
      // These carry no end time or progress: once the start has passed they count as over, so a
      // years-old announcement still in the list never shows as running.
      const status = start && start > fetchedAt ? 'scheduled' : 'completed';
      const url = `${baseUrl}/incidents/${encodeURIComponent(raw.id)}`;
      maintenances.push(toMaintenance(`incident:${raw.id}`, raw, status, url, fetchedAt));
    } else {
      incidents.push(toIncident(raw, byId, baseUrl, fetchedAt));
    }
  }
  for (const raw of input.schedules) {
    const status =
      lookupIn(SCHEDULE_STATUS, code(raw.status)) ?? (raw.completed_at ? 'completed' : 'scheduled');
    const maintenance = toMaintenance(
      `schedule:${raw.id}`,
      raw,
      status,
      `${baseUrl}/schedules/${encodeURIComponent(raw.id)}`,
      fetchedAt,
    );
    const done = cachetTime(raw.completed_at);
    if (done) maintenance.scheduledUntil = done;
    maintenances.push(maintenance);
  }
  return {
    serviceId: input.serviceId,
    fetchedAt,
    incidents,
    maintenances,
    components,
    resolutionsKnown: true,
    pageUrl: baseUrl,
  };
}

export class CachetSource implements Source {
  private readonly baseUrl: string;
  private readonly http: ConditionalGet;

  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.baseUrl = pageBaseUrl(config.url, /\/api(\/v1(\/[^?#]*)?)?\/?$/);
    this.http = new ConditionalGet(service, deps);
  }

  async poll(signal?: AbortSignal): Promise<PollResult> {
    try {
      const get = <T>(path: string, parse: (body: string) => ParseResult<T>) =>
        this.http.get(`${this.baseUrl}${path}`, parse, { signal });
      const [components, incidents, schedules] = await Promise.all([
        get(CACHET_COMPONENTS_PATH, parseCachetComponents),
        get(CACHET_INCIDENTS_PATH, parseCachetIncidents),
        get(CACHET_SCHEDULES_PATH, parseCachetSchedules),
      ]);
      if (!components.ok) return components;
      if (!incidents.ok) return incidents;
      // Before 2.4 there are no schedules (404); any other failure would read as "all completed".
      if (!schedules.ok && schedules.failure.status !== 404) return schedules;
      const snapshot = cachetSnapshot({
        serviceId: this.service.id,
        fetchedAt: this.deps.now().toISOString(),
        baseUrl: this.baseUrl,
        components: components.value,
        incidents: incidents.value,
        schedules: schedules.ok ? schedules.value : [],
      });
      return { ok: true, snapshot };
    } catch (err) {
      return unexpectedFailure(err);
    }
  }
}

export const cachetKind: SourceKind = {
  kind: 'cachet',
  create: (service, config, deps) => new CachetSource(service, config, deps),
};
