import type { z } from 'zod';
import type {
  Component,
  ComponentStatus,
  Impact,
  Incident,
  IncidentUpdate,
  Maintenance,
  MaintenanceStatus,
  PollResult,
  Service,
  Snapshot,
  SourceConfig,
} from '../incidents/model.js';
import { impactRank } from '../incidents/model.js';
import {
  type BetterstackIncluded,
  type BetterstackIndex,
  parseBetterstackIndex,
  reportAttributes,
  resourceAttributes,
  sectionAttributes,
  updateAttributes,
} from './betterstack-schema.js';
import { ConditionalGet, unexpectedFailure } from './conditional-get.js';
import { lookupIn, pageBaseUrl, safeHttpUrl, toIsoUtc } from './normalize.js';
import { toPlainText } from './plain-text.js';
import type { Source, SourceDeps, SourceKind } from './source.js';

/**
 * Better Stack (Better Uptime) pages. index.json holds recent reports in every state, so it is
 * its own history (resolutions are confirmed). A report has no investigating/identified steps:
 * open is `investigating`, and `aggregate_state: resolved` is resolved even while `ends_at` is
 * still null. Included rows of an unknown type or with unreadable attributes are skipped.
 */

export const BETTERSTACK_INDEX_PATH = '/index.json';

const STATE_IMPACT: Record<string, Impact> = {
  operational: 'none',
  maintenance: 'none',
  resolved: 'none',
  degraded: 'minor',
  downtime: 'critical',
};
const COMPONENT_STATUS: Record<string, ComponentStatus> = {
  operational: 'operational',
  not_monitored: 'operational',
  degraded: 'degraded_performance',
  downtime: 'major_outage',
  maintenance: 'under_maintenance',
};

type Attributes<S extends z.ZodType> = z.infer<S> & { id: string; row: BetterstackIncluded };

function rowsOf<S extends z.ZodType>(index: BetterstackIndex, type: string, schema: S) {
  const rows: Attributes<S>[] = [];
  for (const row of index.included ?? []) {
    if (row.type !== type) continue;
    const parsed = schema.safeParse(row.attributes ?? {});
    if (parsed.success) rows.push({ ...(parsed.data as object), id: row.id, row } as Attributes<S>);
  }
  return rows;
}

const worst = (impacts: Impact[]): Impact =>
  impacts.reduce<Impact>((a, b) => (impactRank(b) > impactRank(a) ? b : a), 'none');

export function betterstackSnapshot(
  serviceId: string,
  fetchedAt: string,
  baseUrl: string,
  index: BetterstackIndex,
): Snapshot {
  const sections = new Map(
    rowsOf(index, 'status_page_section', sectionAttributes).map((s) => [s.id, s.name?.trim()]),
  );
  const resources = rowsOf(index, 'status_page_resource', resourceAttributes);
  const names = new Map(resources.map((r) => [r.id, r.public_name]));
  const components = resources.map((r): Component => {
    const component: Component = {
      id: r.id,
      name: r.public_name,
      status: lookupIn(COMPONENT_STATUS, r.status) ?? 'operational',
    };
    const group = r.status_page_section_id ? sections.get(r.status_page_section_id) : undefined;
    if (group) component.group = group;
    return component;
  });
  const updates = new Map(rowsOf(index, 'status_update', updateAttributes).map((u) => [u.id, u]));

  const incidents: Incident[] = [];
  const maintenances: Maintenance[] = [];
  for (const report of rowsOf(index, 'status_report', reportAttributes)) {
    const resolved = report.aggregate_state === 'resolved';
    const own = (report.row.relationships?.status_updates?.data ?? [])
      .map((ref) => updates.get(ref.id))
      .filter((u) => u !== undefined);
    const affected = [
      ...(report.affected_resources ?? []),
      ...own.flatMap((u) => u.affected_resources ?? []),
    ];
    const componentNames = [
      ...new Set(
        affected
          .map((a) => names.get(a.status_page_resource_id ?? ''))
          .filter((n) => n !== undefined),
      ),
    ];
    const startedAt = toIsoUtc(report.starts_at) ?? fetchedAt;
    const timeline: IncidentUpdate[] = own
      .map((u) => {
        const at = toIsoUtc(u.published_at) ?? startedAt;
        const settled = (u.affected_resources ?? []).every(
          (a) => a.status === 'resolved' || a.status === 'operational',
        );
        const status: IncidentUpdate['status'] =
          (u.affected_resources?.length ?? 0) > 0 && settled ? 'resolved' : 'investigating';
        return { id: u.id, status, body: toPlainText(u.message ?? ''), at };
      })
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

    if (report.report_type === 'maintenance') {
      const until = toIsoUtc(report.ends_at);
      const status: MaintenanceStatus =
        resolved || (until !== undefined && until <= fetchedAt)
          ? 'completed'
          : startedAt > fetchedAt
            ? 'scheduled'
            : 'in_progress';
      const maintenance: Maintenance = {
        id: report.id,
        title: report.title,
        status,
        impact: 'none',
        components: componentNames,
        updates: timeline.map((u) => ({ ...u, status })),
        scheduledFor: startedAt,
      };
      if (until) maintenance.scheduledUntil = until;
      maintenances.push(maintenance);
      continue;
    }
    const impact = worst([
      lookupIn(STATE_IMPACT, report.aggregate_state) ?? (resolved ? 'none' : 'minor'),
      ...affected.map((a) => lookupIn(STATE_IMPACT, a.status) ?? 'none'),
    ]);
    const incident: Incident = {
      id: report.id,
      title: report.title,
      status: resolved ? 'resolved' : 'investigating',
      impact,
      components: componentNames,
      updates: timeline,
      startedAt,
      origin: 'status_page',
    };
    if (resolved) {
      incident.resolvedAt = toIsoUtc(report.ends_at) ?? timeline.at(-1)?.at ?? startedAt;
    }
    incidents.push(incident);
  }
  const attributes = index.data.attributes;
  const domain = attributes?.custom_domain ? `https://${attributes.custom_domain}` : undefined;
  return {
    serviceId,
    fetchedAt,
    incidents,
    maintenances,
    components,
    resolutionsKnown: true,
    pageUrl: safeHttpUrl(domain) ?? baseUrl,
  };
}

export class BetterstackSource implements Source {
  private readonly baseUrl: string;
  private readonly http: ConditionalGet;

  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.baseUrl = pageBaseUrl(config.url, /\/index\.json$/);
    this.http = new ConditionalGet(service, deps);
  }

  async poll(signal?: AbortSignal): Promise<PollResult> {
    try {
      const url = `${this.baseUrl}${BETTERSTACK_INDEX_PATH}`;
      const index = await this.http.get(url, parseBetterstackIndex, { signal });
      if (!index.ok) return index;
      const fetchedAt = this.deps.now().toISOString();
      const snapshot = betterstackSnapshot(this.service.id, fetchedAt, this.baseUrl, index.value);
      return { ok: true, snapshot };
    } catch (err) {
      return unexpectedFailure(err);
    }
  }
}

export const betterstackKind: SourceKind = {
  kind: 'betterstack',
  create: (service, config, deps) => new BetterstackSource(service, config, deps),
};
