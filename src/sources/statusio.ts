import type {
  Component,
  ComponentStatus,
  Impact,
  Incident,
  IncidentStatus,
  IncidentUpdate,
  Maintenance,
  MaintenanceStatus,
  PollResult,
  Service,
  Snapshot,
  SourceConfig,
} from '../incidents/model.js';
import { ConditionalGet, unexpectedFailure } from './conditional-get.js';
import { derivedUpdateId, lookupIn, toIsoUtc } from './normalize.js';
import { toPlainText } from './plain-text.js';
import type { Source, SourceDeps, SourceKind } from './source.js';
import { parseStatusioStatus, type StatusioEvent, type StatusioStatus } from './statusio-schema.js';

/**
 * status.io pages. The configured URL is the API URL (`https://api.status.io/1.0/status/<id>`)
 * or the public page (`https://status.io/pages/<id>`), from which the API URL is derived. The
 * response lists active incidents and active/upcoming maintenances only: what leaves those lists
 * is over. Status codes (100 operational ... 500 disruption, 600 security) give severity.
 */

const API_ORIGIN = 'https://api.status.io';

const COMPONENT_STATUS: Record<string, ComponentStatus> = {
  '100': 'operational',
  '200': 'under_maintenance',
  '300': 'degraded_performance',
  '400': 'partial_outage',
  '500': 'major_outage',
  '600': 'major_outage',
};
const IMPACT: Record<string, Impact> = {
  '100': 'none',
  '200': 'none',
  '300': 'minor',
  '400': 'major',
  '500': 'critical',
  '600': 'critical',
};
/** Message states are codes (100/200/300, 400 resolved?) or labels, depending on the endpoint. */
const STATE: Record<string, IncidentStatus> = {
  '100': 'investigating',
  '200': 'identified',
  '300': 'monitoring',
  '400': 'resolved',
  investigating: 'investigating',
  identified: 'identified',
  monitoring: 'monitoring',
  resolved: 'resolved',
};

const key = (value: string | number | null | undefined) =>
  value === null || value === undefined ? undefined : String(value).trim().toLowerCase();

/** The API URL for a configured page or API URL. */
export function statusioApiUrl(url: string): string {
  const parsed = new URL(url);
  const page = parsed.pathname.match(/^\/pages\/([0-9a-f]{24})/i);
  if (page) return `${API_ORIGIN}/1.0/status/${page[1]}`;
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString().replace(/\/+$/, '');
}

const eventId = (e: StatusioEvent) => String(e._id ?? e.id);
const eventName = (e: StatusioEvent) => String(e.name ?? e.title);
const affected = (e: StatusioEvent) => [
  ...new Set([...(e.components_affected ?? []), ...(e.components ?? [])].map((c) => c.name)),
];

function timeline(
  e: StatusioEvent,
  status: (state: string | undefined) => IncidentUpdate['status'],
  fallbackAt: string,
): IncidentUpdate[] {
  return (e.messages ?? [])
    .map((m) => {
      const at = toIsoUtc(m.datetime) ?? fallbackAt;
      const body = toPlainText(m.details ?? '');
      return { id: m._id ?? derivedUpdateId(at, body), status: status(key(m.state)), body, at };
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function toIncident(e: StatusioEvent, fetchedAt: string, pageUrl?: string): Incident {
  const startedAt = toIsoUtc(e.datetime_open) ?? toIsoUtc(e.datetime_start) ?? fetchedAt;
  const updates = timeline(e, (s) => lookupIn(STATE, s) ?? 'investigating', startedAt);
  const latest = updates.at(-1)?.status as IncidentStatus | undefined;
  const status = lookupIn(STATE, key(e.current_state)) ?? latest ?? 'investigating';
  const severity = (e.messages ?? []).map((m) => key(m.status)).findLast(Boolean);
  const incident: Incident = {
    id: eventId(e),
    title: eventName(e),
    status: e.datetime_resolve ? 'resolved' : status,
    impact: lookupIn(IMPACT, key(e.current_status) ?? severity) ?? 'minor',
    components: affected(e),
    updates,
    startedAt,
    origin: 'status_page',
  };
  if (incident.status === 'resolved') {
    incident.resolvedAt = toIsoUtc(e.datetime_resolve) ?? updates.at(-1)?.at ?? fetchedAt;
  }
  if (pageUrl) incident.url = pageUrl;
  return incident;
}

function toMaintenance(
  e: StatusioEvent,
  status: MaintenanceStatus,
  fetchedAt: string,
  pageUrl?: string,
) {
  const scheduledFor =
    toIsoUtc(e.datetime_planned_start) ?? toIsoUtc(e.datetime_start) ?? toIsoUtc(e.datetime_open);
  const maintenance: Maintenance = {
    id: eventId(e),
    title: eventName(e),
    status,
    impact: 'none',
    components: affected(e),
    updates: timeline(e, () => status, scheduledFor ?? fetchedAt),
    scheduledFor: scheduledFor ?? fetchedAt,
  };
  const until = toIsoUtc(e.datetime_planned_end) ?? toIsoUtc(e.datetime_end);
  if (until) maintenance.scheduledUntil = until;
  if (pageUrl) maintenance.url = pageUrl;
  return maintenance;
}

export function statusioSnapshot(
  serviceId: string,
  fetchedAt: string,
  status: StatusioStatus,
  pageUrl?: string,
): Snapshot {
  const { result } = status;
  const components = result.status.map(
    (c): Component => ({
      id: c.id ?? c.name,
      name: c.name,
      status: lookupIn(COMPONENT_STATUS, key(c.status_code)) ?? 'operational',
    }),
  );
  const snapshot: Snapshot = {
    serviceId,
    fetchedAt,
    incidents: (result.incidents ?? []).map((e) => toIncident(e, fetchedAt, pageUrl)),
    maintenances: [
      ...(result.maintenance?.active ?? []).map((e) =>
        toMaintenance(e, 'in_progress', fetchedAt, pageUrl),
      ),
      ...(result.maintenance?.upcoming ?? []).map((e) =>
        toMaintenance(e, 'scheduled', fetchedAt, pageUrl),
      ),
    ],
    components,
    // Active-only lists: an incident that leaves them is over.
    resolutionsKnown: true,
  };
  if (pageUrl) snapshot.pageUrl = pageUrl;
  return snapshot;
}

export class StatusioSource implements Source {
  private readonly apiUrl: string;
  private readonly pageUrl: string | undefined;
  private readonly http: ConditionalGet;

  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.apiUrl = statusioApiUrl(config.url);
    const pageId = this.apiUrl.match(/\/status\/([^/]+)$/)?.[1];
    this.pageUrl = pageId ? `https://status.io/pages/${pageId}` : undefined;
    this.http = new ConditionalGet(service, deps);
  }

  async poll(signal?: AbortSignal): Promise<PollResult> {
    try {
      const status = await this.http.get(this.apiUrl, parseStatusioStatus, { signal });
      if (!status.ok) return status;
      const fetchedAt = this.deps.now().toISOString();
      return {
        ok: true,
        snapshot: statusioSnapshot(this.service.id, fetchedAt, status.value, this.pageUrl),
      };
    } catch (err) {
      return unexpectedFailure(err);
    }
  }
}

export const statusioKind: SourceKind = {
  kind: 'statusio',
  create: (service, config, deps) => new StatusioSource(service, config, deps),
};
