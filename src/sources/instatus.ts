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
import { ConditionalGet, unexpectedFailure } from './conditional-get.js';
import {
  type InstatusComponent,
  type InstatusItem,
  type InstatusSummary,
  parseInstatusComponents,
  parseInstatusSummary,
} from './instatus-schema.js';
import { hashText, lookupIn, pageBaseUrl, safeHttpUrl, toIsoUtc } from './normalize.js';
import type { Source, SourceDeps, SourceKind } from './source.js';

/**
 * Instatus pages. The summary lists only what is active, with no update texts, so an incident
 * that leaves it is resolved (after the reconciler's missing-poll count, announced as inferred)
 * and status changes come out as the reconciler's "status changed" updates. A page that does not
 * serve components.json (404) is polled without components; any other failure of it fails the
 * poll, since a missing component list would read as every component recovering.
 */

export const INSTATUS_SUMMARY_PATH = '/summary.json';
export const INSTATUS_COMPONENTS_PATH = '/v2/components.json';

const INCIDENT_STATUS: Record<string, IncidentStatus> = {
  INVESTIGATING: 'investigating',
  IDENTIFIED: 'identified',
  MONITORING: 'monitoring',
  RESOLVED: 'resolved',
};
const MAINTENANCE_STATUS: Record<string, MaintenanceStatus> = {
  NOTSTARTEDYET: 'scheduled',
  INPROGRESS: 'in_progress',
  COMPLETED: 'completed',
};
const IMPACT: Record<string, Impact> = {
  OPERATIONAL: 'none',
  UNDERMAINTENANCE: 'none',
  DEGRADEDPERFORMANCE: 'minor',
  PARTIALOUTAGE: 'major',
  MAJOROUTAGE: 'critical',
};
const COMPONENT_STATUS: Record<string, ComponentStatus> = {
  OPERATIONAL: 'operational',
  UNDERMAINTENANCE: 'under_maintenance',
  DEGRADEDPERFORMANCE: 'degraded_performance',
  PARTIALOUTAGE: 'partial_outage',
  MAJOROUTAGE: 'major_outage',
};

const upper = (value: string | null | undefined) => value?.toUpperCase();

/** Live pages give ids; the docs example gives none, but its URL ends in the same id. */
function itemId(item: InstatusItem, start: string | undefined): string {
  if (item.id) return item.id;
  const fromUrl = safeHttpUrl(item.url)?.split('/').at(-1);
  return fromUrl || `h:${hashText(`${item.name}|${start ?? ''}`)}`;
}

function toIncident(item: InstatusItem, fetchedAt: string): Incident {
  const status = lookupIn(INCIDENT_STATUS, upper(item.status)) ?? 'investigating';
  const startedAt = toIsoUtc(item.started) ?? toIsoUtc(item.start) ?? fetchedAt;
  const incident: Incident = {
    id: itemId(item, item.started ?? item.start ?? undefined),
    title: item.name,
    status,
    impact: lookupIn(IMPACT, upper(item.impact)) ?? 'minor',
    components: [],
    updates: [],
    startedAt,
    origin: 'status_page',
  };
  if (status === 'resolved') {
    incident.resolvedAt = toIsoUtc(item.resolved) ?? toIsoUtc(item.updatedAt) ?? fetchedAt;
  }
  const url = safeHttpUrl(item.url);
  if (url) incident.url = url;
  return incident;
}

function toMaintenance(item: InstatusItem, fetchedAt: string): Maintenance {
  const scheduledFor = toIsoUtc(item.start) ?? toIsoUtc(item.started);
  const fallback: MaintenanceStatus =
    scheduledFor && scheduledFor > fetchedAt ? 'scheduled' : 'in_progress';
  const maintenance: Maintenance = {
    id: itemId(item, item.start ?? item.started ?? undefined),
    title: item.name,
    status: lookupIn(MAINTENANCE_STATUS, upper(item.status)) ?? fallback,
    impact: 'none',
    components: [],
    updates: [],
    scheduledFor: scheduledFor ?? fetchedAt,
  };
  const minutes = Number(item.duration);
  if (scheduledFor && Number.isFinite(minutes) && minutes > 0 && minutes < 366 * 24 * 60) {
    maintenance.scheduledUntil = new Date(
      Date.parse(scheduledFor) + minutes * 60_000,
    ).toISOString();
  }
  const url = safeHttpUrl(item.url);
  if (url) maintenance.url = url;
  return maintenance;
}

/** Parent rows are containers: their children are listed, named with the parent as group. */
export function toComponents(rows: InstatusComponent[], group?: string): Component[] {
  return rows.flatMap((row): Component[] => {
    if (row.isParent || (row.children && row.children.length > 0)) {
      return toComponents(row.children ?? [], row.name);
    }
    const component: Component = {
      id: row.id ?? row.name,
      name: row.name,
      status: lookupIn(COMPONENT_STATUS, upper(row.status)) ?? 'operational',
    };
    const groupName =
      group ??
      (row.group && typeof row.group === 'object'
        ? (row.group as { name?: unknown }).name
        : row.group);
    if (typeof groupName === 'string' && groupName) component.group = groupName;
    return [component];
  });
}

export function instatusSnapshot(
  serviceId: string,
  fetchedAt: string,
  baseUrl: string,
  summary: InstatusSummary,
  components: InstatusComponent[],
): Snapshot {
  return {
    serviceId,
    fetchedAt,
    incidents: (summary.activeIncidents ?? []).map((i) => toIncident(i, fetchedAt)),
    maintenances: (summary.activeMaintenances ?? []).map((m) => toMaintenance(m, fetchedAt)),
    components: toComponents(components),
    // The active lists are complete: what leaves them is over.
    resolutionsKnown: true,
    pageUrl: safeHttpUrl(summary.page.url) ?? baseUrl,
  };
}

export class InstatusSource implements Source {
  private readonly baseUrl: string;
  private readonly http: ConditionalGet;

  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.baseUrl = pageBaseUrl(config.url, /\/(v[23]\/)?(summary|components)\.json$/);
    this.http = new ConditionalGet(service, deps);
  }

  async poll(signal?: AbortSignal): Promise<PollResult> {
    try {
      const [summary, components] = await Promise.all([
        this.http.get(`${this.baseUrl}${INSTATUS_SUMMARY_PATH}`, parseInstatusSummary, { signal }),
        this.http.get(`${this.baseUrl}${INSTATUS_COMPONENTS_PATH}`, parseInstatusComponents, {
          signal,
        }),
      ]);
      if (!summary.ok) return summary;
      const notServed = !components.ok && components.failure.status === 404;
      if (!components.ok && !notServed) return components;
      const rows = components.ok ? components.value : [];
      const fetchedAt = this.deps.now().toISOString();
      const snapshot = instatusSnapshot(
        this.service.id,
        fetchedAt,
        this.baseUrl,
        summary.value,
        rows,
      );
      return { ok: true, snapshot };
    } catch (err) {
      return unexpectedFailure(err);
    }
  }
}

export const instatusKind: SourceKind = {
  kind: 'instatus',
  create: (service, config, deps) => new InstatusSource(service, config, deps),
};
