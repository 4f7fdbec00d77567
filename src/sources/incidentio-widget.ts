import { z } from 'zod';
import type {
  Impact,
  Incident,
  IncidentStatus,
  Maintenance,
  MaintenanceStatus,
  Snapshot,
} from '../incidents/model.js';
import { type ParseResult, parseJsonBody } from './json-body.js';
import { derivedUpdateId, lookupIn, safeHttpUrl, toIsoUtc } from './normalize.js';
import { toPlainText } from './plain-text.js';

/**
 * incident.io's documented widget API (`/api/v1/summary`): ongoing incidents with their affected
 * components and worst impact, running and upcoming maintenances, and only the latest update
 * text of each. Resolved incidents and completed maintenances drop out of it.
 */

const text = z.string().nullish();
const affectedSchema = z.array(z.object({ name: z.string(), group_name: text })).nullish();
const itemSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  status: text,
  url: text,
  last_update_at: text,
  last_update_message: text,
  current_worst_impact: text,
  affected_components: affectedSchema,
  started_at: text,
  scheduled_end_at: text,
  starts_at: text,
  ends_at: text,
});
const widgetSchema = z
  .object({
    page_title: text,
    page_url: text,
    ongoing_incidents: z.array(itemSchema).nullish(),
    in_progress_maintenances: z.array(itemSchema).nullish(),
    scheduled_maintenances: z.array(itemSchema).nullish(),
  })
  .refine((w) => w.page_title || w.page_url || w.ongoing_incidents, {
    message: 'no page_title, page_url or ongoing_incidents: not an incident.io widget summary',
  });

export type WidgetSummary = z.infer<typeof widgetSchema>;
type WidgetItem = z.infer<typeof itemSchema>;

export const parseWidgetSummary = (body: string): ParseResult<WidgetSummary> =>
  parseJsonBody(body, widgetSchema, 'api/v1/summary');

const INCIDENT_STATUS: Record<string, IncidentStatus> = {
  investigating: 'investigating',
  identified: 'identified',
  monitoring: 'monitoring',
  resolved: 'resolved',
};
const MAINTENANCE_STATUS: Record<string, MaintenanceStatus> = {
  maintenance_scheduled: 'scheduled',
  maintenance_in_progress: 'in_progress',
  maintenance_complete: 'completed',
};
const IMPACT: Record<string, Impact> = {
  operational: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  full_outage: 'critical',
};

const componentNames = (item: WidgetItem): string[] => [
  ...new Set((item.affected_components ?? []).map((c) => c.name).filter(Boolean)),
];

function lastUpdate(item: WidgetItem, status: Incident['updates'][number]['status'], at: string) {
  const body = toPlainText(item.last_update_message ?? '');
  if (!body) return [];
  const when = toIsoUtc(item.last_update_at) ?? at;
  return [{ id: derivedUpdateId(when, body), status, body, at: when }];
}

function toIncident(item: WidgetItem, fetchedAt: string): Incident {
  const status = lookupIn(INCIDENT_STATUS, item.status) ?? 'investigating';
  // The widget has no start time; the latest update is the earliest moment it vouches for.
  const startedAt = toIsoUtc(item.last_update_at) ?? fetchedAt;
  const incident: Incident = {
    id: item.id,
    title: item.name,
    status,
    impact: lookupIn(IMPACT, item.current_worst_impact) ?? 'minor',
    components: componentNames(item),
    updates: lastUpdate(item, status, startedAt),
    startedAt,
    origin: 'status_page',
  };
  if (status === 'resolved') incident.resolvedAt = startedAt;
  const url = safeHttpUrl(item.url);
  if (url) incident.url = url;
  return incident;
}

function toMaintenance(item: WidgetItem, fallback: MaintenanceStatus, fetchedAt: string) {
  const status = lookupIn(MAINTENANCE_STATUS, item.status) ?? fallback;
  const scheduledFor =
    toIsoUtc(item.starts_at) ?? toIsoUtc(item.started_at) ?? toIsoUtc(item.last_update_at);
  const maintenance: Maintenance = {
    id: item.id,
    title: item.name,
    status,
    impact: 'none',
    components: componentNames(item),
    updates: lastUpdate(item, status, scheduledFor ?? fetchedAt),
    scheduledFor: scheduledFor ?? fetchedAt,
  };
  const until = toIsoUtc(item.ends_at) ?? toIsoUtc(item.scheduled_end_at);
  if (until) maintenance.scheduledUntil = until;
  const url = safeHttpUrl(item.url);
  if (url) maintenance.url = url;
  return maintenance;
}

export const widgetPageUrl = (widget: WidgetSummary): string | undefined =>
  safeHttpUrl(widget.page_url);

/**
 * Adds what only the widget knows to a snapshot built from the compatible API: components of
 * incidents (that API lists none), and incidents or maintenances it does not list at all (some
 * pages' summaries carry no incident keys). What the compatible API lists wins otherwise, since it
 * has the full update history.
 */
export function mergeWidget(snapshot: Snapshot, widget: WidgetSummary): Snapshot {
  const incidents = new Map(snapshot.incidents.map((i) => [i.id, i]));
  for (const item of widget.ongoing_incidents ?? []) {
    const known = incidents.get(item.id);
    const fromWidget = toIncident(item, snapshot.fetchedAt);
    if (!known) incidents.set(item.id, fromWidget);
    else if (known.components.length === 0 && fromWidget.components.length > 0) {
      incidents.set(item.id, { ...known, components: fromWidget.components });
    }
  }
  const maintenances = new Map(snapshot.maintenances.map((m) => [m.id, m]));
  const running = (widget.in_progress_maintenances ?? []).map((item) =>
    toMaintenance(item, 'in_progress', snapshot.fetchedAt),
  );
  const upcoming = (widget.scheduled_maintenances ?? []).map((item) =>
    toMaintenance(item, 'scheduled', snapshot.fetchedAt),
  );
  for (const maintenance of [...running, ...upcoming]) {
    const known = maintenances.get(maintenance.id);
    if (!known) maintenances.set(maintenance.id, maintenance);
    else if (known.components.length === 0 && maintenance.components.length > 0) {
      maintenances.set(maintenance.id, { ...known, components: maintenance.components });
    }
  }
  return {
    ...snapshot,
    incidents: [...incidents.values()],
    maintenances: [...maintenances.values()],
  };
}
