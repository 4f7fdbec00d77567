import { createHash } from 'node:crypto';
import type { ComponentRow, IncidentRow, StatusPageModel } from './status-page-model.js';

/** JSON of the fake Statuspage, key for key as in the recorded payloads (test/fixtures/statuspage/). */

const PAGE_ID = 'fk7pg3stat0s';
const ACTIVE_MAINTENANCE = new Set(['scheduled', 'in_progress', 'verifying']);
const OPEN_INCIDENT = new Set(['investigating', 'identified', 'monitoring']);
const INDICATOR_TEXT: Record<string, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
  maintenance: 'Service Under Maintenance',
};

function componentJson(row: ComponentRow): Record<string, unknown> {
  const parent = row.group ? groupId(row.group) : null;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    position: row.position,
    description: null,
    showcase: false,
    start_date: null,
    group_id: parent,
    page_id: PAGE_ID,
    group: false,
    only_show_if_degraded: false,
  };
}

function groupId(group: string): string {
  return createHash('sha1').update(`group:${group}`).digest('hex').slice(0, 12);
}

function componentsJson(model: StatusPageModel): Record<string, unknown>[] {
  const rows = [...model.components.values()];
  const groups = [...new Set(rows.flatMap((r) => (r.group ? [r.group] : [])))];
  const groupRows = groups.map((group, i) => {
    const members = rows.filter((r) => r.group === group);
    const worst = members.map((m) => m.status).find((s) => s !== 'operational') ?? 'operational';
    return {
      id: groupId(group),
      name: group,
      status: worst,
      created_at: model.updatedAt,
      updated_at: model.updatedAt,
      position: rows.length + i + 1,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: PAGE_ID,
      group: true,
      only_show_if_degraded: false,
      components: members.map((m) => m.id),
    };
  });
  return [...rows.map((r) => componentJson(r)), ...groupRows];
}

function incidentJson(model: StatusPageModel, row: IncidentRow): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: row.id,
    name: row.name,
    status: row.status,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    monitoring_at: row.monitoringAt,
    resolved_at: row.resolvedAt,
    impact: row.impact,
    shortlink: `https://stspg.io/${row.id.slice(0, 8)}`,
    started_at: row.createdAt,
    page_id: PAGE_ID,
    incident_updates: [...row.updates].reverse().map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: row.id,
      created_at: u.at,
      updated_at: u.at,
      display_at: u.at,
      affected_components: u.affected,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: row.components.flatMap((n) => {
      const c = model.components.get(n);
      return c ? [componentJson(c)] : [];
    }),
    reminder_intervals: null,
  };
  if (row.scheduledFor !== undefined) {
    json.scheduled_for = row.scheduledFor;
    json.scheduled_until = row.scheduledUntil ?? null;
  }
  return json;
}

function page(model: StatusPageModel): Record<string, unknown> {
  return {
    id: PAGE_ID,
    name: model.name,
    url: model.pageUrl(),
    time_zone: 'Etc/UTC',
    updated_at: model.updatedAt,
  };
}

function indicator(model: StatusPageModel, open: IncidentRow[], active: IncidentRow[]): string {
  if (model.indicatorOverride) return model.indicatorOverride;
  const order = ['none', 'minor', 'major', 'critical'];
  const fromComponents = [...model.components.values()].map((c) =>
    c.status === 'major_outage'
      ? 'critical'
      : c.status === 'partial_outage'
        ? 'major'
        : c.status === 'degraded_performance'
          ? 'minor'
          : 'none',
  );
  const fromIncidents = open.map((i) => (order.includes(i.impact) ? i.impact : 'none'));
  const worst = [...fromComponents, ...fromIncidents].reduce(
    (a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a),
    'none',
  );
  if (worst === 'none' && active.some((m) => m.status !== 'scheduled')) return 'maintenance';
  return worst;
}

function newestFirst(rows: IncidentRow[]): IncidentRow[] {
  return [...rows].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.seq - a.seq);
}

/** summary.json: open incidents and active maintenances only, as Statuspage does. */
export function renderSummary(model: StatusPageModel): unknown {
  const open = newestFirst(
    [...model.incidents.values()].filter((i) => OPEN_INCIDENT.has(i.status)),
  );
  const active = newestFirst(
    [...model.maintenances.values()].filter((m) => ACTIVE_MAINTENANCE.has(m.status)),
  );
  const worst = indicator(model, open, active);
  return {
    page: page(model),
    components: componentsJson(model),
    incidents: open.map((i) => incidentJson(model, i)),
    scheduled_maintenances: active.map((m) => incidentJson(model, m)),
    status: { indicator: worst, description: INDICATOR_TEXT[worst] ?? INDICATOR_TEXT.none },
  };
}

/** incidents.json: every incident, newest first, at most 50. */
export function renderIncidents(model: StatusPageModel): unknown {
  const all = newestFirst([...model.incidents.values()]).slice(0, 50);
  return { page: page(model), incidents: all.map((i) => incidentJson(model, i)) };
}

export function renderMaintenances(model: StatusPageModel): unknown {
  const all = newestFirst([...model.maintenances.values()]).slice(0, 50);
  return { page: page(model), scheduled_maintenances: all.map((m) => incidentJson(model, m)) };
}
