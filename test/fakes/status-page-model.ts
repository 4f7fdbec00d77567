import { createHash } from 'node:crypto';

/**
 * The state behind the fake Statuspage (test/fakes/status-server.ts) and the JSON it renders,
 * field for field in the shape of the real recorded payloads (test/fixtures/statuspage/).
 */

export type FakeIncidentStatus =
  | 'investigating'
  | 'identified'
  | 'monitoring'
  | 'resolved'
  | 'postmortem';
export type FakeMaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';
export type FakeImpact = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
export type FakeComponentStatus =
  | 'operational'
  | 'degraded_performance'
  | 'partial_outage'
  | 'major_outage'
  | 'under_maintenance';

export interface IncidentInput {
  /** Omit to create a new incident; pass an existing id to post an update to it. */
  id?: string;
  name?: string;
  status?: FakeIncidentStatus;
  impact?: FakeImpact;
  /** Text of the update this call posts (Statuspage allows HTML such as `<br />`). */
  body?: string;
  /** Names of affected components; unknown names are created as operational components. */
  components?: string[];
  /** Also move those components to this status, recorded in the update's affected_components. */
  componentStatus?: FakeComponentStatus;
  /** Time of this change (default: the server clock). */
  at?: Date;
}

export interface MaintenanceInput {
  id?: string;
  name?: string;
  status?: FakeMaintenanceStatus;
  impact?: FakeImpact;
  body?: string;
  components?: string[];
  scheduledFor?: Date;
  scheduledUntil?: Date;
  at?: Date;
}

interface ComponentRow {
  id: string;
  name: string;
  status: FakeComponentStatus;
  group?: string;
  position: number;
  createdAt: string;
  updatedAt: string;
}

interface UpdateRow {
  id: string;
  status: string;
  body: string;
  at: string;
  affected: Array<{ code: string; name: string; old_status: string; new_status: string }> | null;
}

interface IncidentRow {
  id: string;
  name: string;
  status: string;
  impact: FakeImpact;
  createdAt: string;
  updatedAt: string;
  monitoringAt: string | null;
  resolvedAt: string | null;
  components: string[];
  /** Oldest first here; rendered newest first, as Statuspage does. */
  updates: UpdateRow[];
  scheduledFor?: string;
  scheduledUntil?: string;
  /** Creation order, to break ties between incidents created in the same millisecond. */
  seq: number;
}

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

export class StatusPageModel {
  private readonly components = new Map<string, ComponentRow>();
  private readonly incidents = new Map<string, IncidentRow>();
  private readonly maintenances = new Map<string, IncidentRow>();
  private counter = 0;
  private updatedAt: string;
  indicatorOverride: string | null = null;

  constructor(
    private readonly name: string,
    private readonly pageUrl: () => string,
    private readonly now: () => Date,
  ) {
    this.updatedAt = now().toISOString();
  }

  /** Statuspage-like 12-character ids, deterministic per server. */
  private newId(prefix: string): string {
    this.counter += 1;
    return createHash('sha1').update(`${prefix}:${this.counter}`).digest('hex').slice(0, 12);
  }

  private touch(at: string): void {
    this.updatedAt = at;
  }

  setComponent(name: string, status: FakeComponentStatus, group?: string, at?: Date): string {
    const when = (at ?? this.now()).toISOString();
    const existing = this.components.get(name);
    if (existing) {
      if (existing.status !== status) existing.updatedAt = when;
      existing.status = status;
      if (group !== undefined) existing.group = group;
      this.touch(when);
      return existing.id;
    }
    const row: ComponentRow = {
      id: this.newId('component'),
      name,
      status,
      position: this.components.size + 1,
      createdAt: when,
      updatedAt: when,
      ...(group ? { group } : {}),
    };
    this.components.set(name, row);
    this.touch(when);
    return row.id;
  }

  private ensureComponents(names: string[], at: Date): void {
    for (const name of names)
      if (!this.components.has(name)) this.setComponent(name, 'operational', undefined, at);
  }

  private post(
    table: Map<string, IncidentRow>,
    input: IncidentInput | MaintenanceInput,
    defaults: { status: string; impact: FakeImpact; kind: string },
  ): string {
    const at = input.at ?? this.now();
    const when = at.toISOString();
    let row = input.id ? table.get(input.id) : undefined;
    if (!row) {
      row = {
        id: input.id ?? this.newId(defaults.kind),
        name: input.name ?? `${defaults.kind} ${this.counter}`,
        status: input.status ?? defaults.status,
        impact: input.impact ?? defaults.impact,
        createdAt: when,
        updatedAt: when,
        monitoringAt: null,
        resolvedAt: null,
        components: [],
        updates: [],
        seq: this.counter,
      };
      table.set(row.id, row);
    }
    if (input.name) row.name = input.name;
    if (input.impact) row.impact = input.impact;
    if (input.status) row.status = input.status;
    if (input.components) {
      this.ensureComponents(input.components, at);
      row.components = [...input.components];
    }
    if ('scheduledFor' in input && input.scheduledFor)
      row.scheduledFor = input.scheduledFor.toISOString();
    if ('scheduledUntil' in input && input.scheduledUntil)
      row.scheduledUntil = input.scheduledUntil.toISOString();
    let affected: UpdateRow['affected'] = null;
    if ('componentStatus' in input && input.componentStatus) {
      const next = input.componentStatus;
      affected = row.components.map((name) => {
        const c = this.components.get(name) as ComponentRow;
        const change = { code: c.id, name, old_status: c.status, new_status: next };
        this.setComponent(name, next, undefined, at);
        return change;
      });
    }
    if (row.status === 'monitoring' && !row.monitoringAt) row.monitoringAt = when;
    if (['resolved', 'postmortem', 'completed'].includes(row.status) && !row.resolvedAt)
      row.resolvedAt = when;
    row.updates.push({
      id: this.newId('update'),
      status: row.status,
      body: input.body ?? '',
      at: when,
      affected,
    });
    row.updatedAt = when;
    this.touch(when);
    return row.id;
  }

  setIncident(input: IncidentInput): string {
    if (input.id && !this.incidents.has(input.id) && !input.name) {
      throw new Error(`fake status page: no incident ${input.id} (pass a name to create it)`);
    }
    return this.post(this.incidents, input, {
      status: 'investigating',
      impact: 'minor',
      kind: 'incident',
    });
  }

  /** Resolves and, like an operator would, puts the incident's components back to operational. */
  resolveIncident(id: string, body: string, restoreComponents: boolean, at?: Date): void {
    const row = this.incidents.get(id);
    if (!row) throw new Error(`fake status page: no incident ${id}`);
    const input: IncidentInput = { id, status: 'resolved', body, ...(at ? { at } : {}) };
    if (
      restoreComponents &&
      row.components.some((n) => this.components.get(n)?.status !== 'operational')
    ) {
      input.componentStatus = 'operational';
    }
    this.setIncident(input);
  }

  removeIncident(id: string): void {
    this.incidents.delete(id);
    this.touch(this.now().toISOString());
  }

  setMaintenance(input: MaintenanceInput): string {
    const scheduled = { ...input };
    if (!input.id || !this.maintenances.has(input.id)) {
      scheduled.scheduledFor ??= input.at ?? this.now();
      scheduled.scheduledUntil ??= new Date(scheduled.scheduledFor.getTime() + 3_600_000);
    }
    return this.post(this.maintenances, scheduled, {
      status: 'scheduled',
      impact: 'maintenance',
      kind: 'maintenance',
    });
  }

  private componentJson(row: ComponentRow): Record<string, unknown> {
    const groupId = row.group ? this.groupId(row.group) : null;
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
      group_id: groupId,
      page_id: PAGE_ID,
      group: false,
      only_show_if_degraded: false,
    };
  }

  private groupId(group: string): string {
    return createHash('sha1').update(`group:${group}`).digest('hex').slice(0, 12);
  }

  private componentsJson(): Record<string, unknown>[] {
    const rows = [...this.components.values()];
    const groups = [...new Set(rows.flatMap((r) => (r.group ? [r.group] : [])))];
    const groupRows = groups.map((group, i) => {
      const members = rows.filter((r) => r.group === group);
      const worst = members.map((m) => m.status).find((s) => s !== 'operational') ?? 'operational';
      return {
        id: this.groupId(group),
        name: group,
        status: worst,
        created_at: this.updatedAt,
        updated_at: this.updatedAt,
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
    return [...rows.map((r) => this.componentJson(r)), ...groupRows];
  }

  private incidentJson(row: IncidentRow): Record<string, unknown> {
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
        const c = this.components.get(n);
        return c ? [this.componentJson(c)] : [];
      }),
      reminder_intervals: null,
    };
    if (row.scheduledFor !== undefined) {
      json.scheduled_for = row.scheduledFor;
      json.scheduled_until = row.scheduledUntil ?? null;
    }
    return json;
  }

  private page(): Record<string, unknown> {
    return {
      id: PAGE_ID,
      name: this.name,
      url: this.pageUrl(),
      time_zone: 'Etc/UTC',
      updated_at: this.updatedAt,
    };
  }

  private indicator(open: IncidentRow[], active: IncidentRow[]): string {
    if (this.indicatorOverride) return this.indicatorOverride;
    const order = ['none', 'minor', 'major', 'critical'];
    const fromComponents = [...this.components.values()].map((c) =>
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

  private newestFirst(rows: IncidentRow[]): IncidentRow[] {
    return [...rows].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.seq - a.seq);
  }

  summary(): unknown {
    const open = this.newestFirst(
      [...this.incidents.values()].filter((i) => OPEN_INCIDENT.has(i.status)),
    );
    const active = this.newestFirst(
      [...this.maintenances.values()].filter((m) => ACTIVE_MAINTENANCE.has(m.status)),
    );
    const indicator = this.indicator(open, active);
    return {
      page: this.page(),
      components: this.componentsJson(),
      incidents: open.map((i) => this.incidentJson(i)),
      scheduled_maintenances: active.map((m) => this.incidentJson(m)),
      status: { indicator, description: INDICATOR_TEXT[indicator] ?? INDICATOR_TEXT.none },
    };
  }

  incidentsList(): unknown {
    const all = this.newestFirst([...this.incidents.values()]).slice(0, 50);
    return { page: this.page(), incidents: all.map((i) => this.incidentJson(i)) };
  }

  maintenancesList(): unknown {
    const all = this.newestFirst([...this.maintenances.values()]).slice(0, 50);
    return { page: this.page(), scheduled_maintenances: all.map((m) => this.incidentJson(m)) };
  }
}
