import type {
  Component,
  ComponentStatus,
  Impact,
  Incident,
  IncidentStatus,
  IncidentUpdate,
  Maintenance,
  MaintenanceStatus,
  Snapshot,
} from '../incidents/model.js';
import { derivedUpdateId, lookupIn, safeHttpUrl, toIsoUtc } from './normalize.js';
import { toPlainText } from './plain-text.js';
import type { StatuspageIncident, StatuspageSummary } from './statuspage-schema.js';

/**
 * Parsed Statuspage v2 payloads -> the normalized model. Pure: no I/O. Unknown enum values map
 * to safe defaults (an unknown component status reads as operational, so nothing is invented).
 */

export { toIsoUtc };

const INCIDENT_STATUS: Record<string, IncidentStatus> = {
  investigating: 'investigating',
  identified: 'identified',
  monitoring: 'monitoring',
  resolved: 'resolved',
  postmortem: 'resolved',
};
const MAINTENANCE_STATUS: Record<string, MaintenanceStatus> = {
  scheduled: 'scheduled',
  in_progress: 'in_progress',
  verifying: 'in_progress',
  completed: 'completed',
  resolved: 'completed',
};
const IMPACT: Record<string, Impact> = {
  none: 'none',
  maintenance: 'none',
  minor: 'minor',
  major: 'major',
  critical: 'critical',
};
const COMPONENT_STATUS: Record<string, ComponentStatus> = {
  operational: 'operational',
  degraded_performance: 'degraded_performance',
  partial_outage: 'partial_outage',
  major_outage: 'major_outage',
  full_outage: 'major_outage',
  under_maintenance: 'under_maintenance',
};

/** A maintenance hiding in a list of incidents (incidents.json may carry both). */
export const isMaintenance = (raw: StatuspageIncident): boolean =>
  Boolean(raw.scheduled_for) ||
  (lookupIn(MAINTENANCE_STATUS, raw.status) !== undefined && raw.status !== 'resolved');

function toUpdates(
  raw: StatuspageIncident,
  mapStatus: (s: string | null | undefined) => IncidentUpdate['status'],
  fallbackAt: string,
): IncidentUpdate[] {
  // Feeds list updates newest first; reverse before the stable sort so equal times stay in order.
  const updates = [...(raw.incident_updates ?? [])].reverse().map((u) => {
    const at = toIsoUtc(u.display_at) ?? toIsoUtc(u.created_at) ?? toIsoUtc(u.updated_at);
    const body = toPlainText(u.body ?? '');
    const when = at ?? fallbackAt;
    return { id: u.id ?? derivedUpdateId(when, body), status: mapStatus(u.status), body, at: when };
  });
  return updates.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function componentNames(raw: StatuspageIncident): string[] {
  const own = (raw.components ?? []).filter((c) => !c.group).map((c) => c.name);
  if (own.length > 0) return [...new Set(own)];
  // incident.io's compat API has no `components`; the updates still name what they touched.
  const touched = (raw.incident_updates ?? []).flatMap((u) =>
    (u.affected_components ?? []).map((c) => c.name ?? ''),
  );
  return [...new Set(touched.filter(Boolean))];
}

export interface NormalizeContext {
  /** Human page URL, used for incident links. */
  pageUrl: string;
  fetchedAt: string;
}

const incidentUrl = (ctx: NormalizeContext, incidentId: string) =>
  `${ctx.pageUrl}/incidents/${encodeURIComponent(incidentId)}`;

export function toIncident(raw: StatuspageIncident, ctx: NormalizeContext): Incident {
  const resolvedAtRaw = toIsoUtc(raw.resolved_at);
  const status =
    lookupIn(INCIDENT_STATUS, raw.status) ??
    (resolvedAtRaw || raw.status === 'completed' ? 'resolved' : 'investigating');
  const createdAt = toIsoUtc(raw.started_at) ?? toIsoUtc(raw.created_at);
  const updates = toUpdates(
    raw,
    (s) => lookupIn(INCIDENT_STATUS, s) ?? lookupIn(MAINTENANCE_STATUS, s) ?? status,
    createdAt ?? ctx.fetchedAt,
  );
  const startedAt = createdAt ?? updates[0]?.at ?? ctx.fetchedAt;
  const incident: Incident = {
    id: raw.id,
    title: raw.name,
    status,
    impact: raw.impact ? (lookupIn(IMPACT, raw.impact) ?? 'minor') : 'none',
    components: componentNames(raw),
    updates,
    startedAt,
    url: incidentUrl(ctx, raw.id),
    origin: 'status_page',
  };
  if (status === 'resolved') {
    const resolvingUpdate = updates.findLast((u) => u.status === 'resolved');
    incident.resolvedAt =
      resolvedAtRaw ??
      resolvingUpdate?.at ??
      toIsoUtc(raw.updated_at) ??
      updates.at(-1)?.at ??
      ctx.fetchedAt;
  }
  return incident;
}

export function toMaintenance(raw: StatuspageIncident, ctx: NormalizeContext): Maintenance {
  const scheduledFor =
    toIsoUtc(raw.scheduled_for) ?? toIsoUtc(raw.started_at) ?? toIsoUtc(raw.created_at);
  const fallbackStatus: MaintenanceStatus = raw.resolved_at
    ? 'completed'
    : scheduledFor && scheduledFor <= ctx.fetchedAt
      ? 'in_progress'
      : 'scheduled';
  const status = lookupIn(MAINTENANCE_STATUS, raw.status) ?? fallbackStatus;
  const updates = toUpdates(
    raw,
    (s) => lookupIn(MAINTENANCE_STATUS, s) ?? lookupIn(INCIDENT_STATUS, s) ?? status,
    scheduledFor ?? ctx.fetchedAt,
  );
  const maintenance: Maintenance = {
    id: raw.id,
    title: raw.name,
    status,
    impact: raw.impact ? (lookupIn(IMPACT, raw.impact) ?? 'minor') : 'none',
    components: componentNames(raw),
    updates,
    scheduledFor: scheduledFor ?? updates[0]?.at ?? ctx.fetchedAt,
    url: incidentUrl(ctx, raw.id),
  };
  const until = toIsoUtc(raw.scheduled_until);
  if (until) maintenance.scheduledUntil = until;
  return maintenance;
}

export function toComponents(summary: StatuspageSummary): Component[] {
  const rows = summary.components ?? [];
  const groupIds = new Set(rows.map((c) => c.group_id).filter(Boolean));
  const groupNames = new Map(rows.filter((c) => c.id).map((c) => [c.id, c.name]));
  return rows
    .filter((c) => !c.group && !(c.components && c.components.length > 0) && !groupIds.has(c.id))
    .map((c) => {
      const component: Component = {
        id: c.id ?? c.name,
        name: c.name,
        status: lookupIn(COMPONENT_STATUS, c.status) ?? 'operational',
      };
      const group = c.group_id ? groupNames.get(c.group_id) : undefined;
      if (group) component.group = group;
      return component;
    });
}

/** The latest moment an incident shows activity: which of two copies is fresher. */
const lastActivity = (i: Incident) =>
  Math.max(Date.parse(i.resolvedAt ?? i.startedAt), ...i.updates.map((u) => Date.parse(u.at)));

export interface SnapshotInput {
  serviceId: string;
  fetchedAt: string;
  /** The configured base URL; the page's own `page.url` wins when it is a valid http(s) URL. */
  baseUrl: string;
  summary: StatuspageSummary;
  /** incidents.json, or undefined when it could not be read this poll. */
  recent?: StatuspageIncident[];
}

export function buildSnapshot(input: SnapshotInput): Snapshot {
  return buildSnapshotTimed(input).snapshot;
}

/**
 * buildSnapshot, telling whether any field fell back on the fetch time (a missing timestamp, a
 * maintenance of unknown status): a snapshot that did not is the same for the same pages later.
 */
export function buildSnapshotTimed(input: SnapshotInput): {
  snapshot: Snapshot;
  usesFetchTime: boolean;
} {
  const pageUrl = safeHttpUrl(input.summary.page?.url) ?? input.baseUrl;
  let usesFetchTime = false;
  const ctx: NormalizeContext = {
    pageUrl,
    get fetchedAt() {
      usesFetchTime = true;
      return input.fetchedAt;
    },
  };
  const incidents = new Map<string, Incident>();
  for (const raw of input.summary.incidents ?? []) incidents.set(raw.id, toIncident(raw, ctx));
  const maintenances = new Map<string, Maintenance>();
  for (const raw of input.summary.scheduled_maintenances ?? []) {
    maintenances.set(raw.id, toMaintenance(raw, ctx));
  }
  for (const raw of input.recent ?? []) {
    if (isMaintenance(raw)) {
      if (!maintenances.has(raw.id)) maintenances.set(raw.id, toMaintenance(raw, ctx));
      continue;
    }
    const fromList = toIncident(raw, ctx);
    const fromSummary = incidents.get(raw.id);
    // The two files are fetched moments apart; keep whichever copy saw more.
    if (!fromSummary || lastActivity(fromList) > lastActivity(fromSummary)) {
      incidents.set(raw.id, fromList);
    }
  }
  const snapshot: Snapshot = {
    serviceId: input.serviceId,
    fetchedAt: input.fetchedAt,
    incidents: [...incidents.values()],
    maintenances: [...maintenances.values()],
    components: toComponents(input.summary),
    resolutionsKnown: input.recent !== undefined,
    pageUrl,
  };
  return { snapshot, usesFetchTime };
}
