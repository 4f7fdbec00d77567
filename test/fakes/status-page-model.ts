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

export interface ComponentRow {
  id: string;
  name: string;
  status: FakeComponentStatus;
  group?: string;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface UpdateRow {
  id: string;
  status: string;
  body: string;
  at: string;
  affected: Array<{ code: string; name: string; old_status: string; new_status: string }> | null;
}

export interface IncidentRow {
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

export class StatusPageModel {
  readonly components = new Map<string, ComponentRow>();
  readonly incidents = new Map<string, IncidentRow>();
  readonly maintenances = new Map<string, IncidentRow>();
  private counter = 0;
  /** Last change to anything on the page (`page.updated_at`). */
  updatedAt: string;
  indicatorOverride: string | null = null;

  constructor(
    readonly name: string,
    readonly pageUrl: () => string,
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
}
