import type {
  Component,
  ComponentStatus,
  Impact,
  Incident,
  IncidentEvent,
  IncidentUpdate,
  Maintenance,
  MaintenanceStatus,
  Snapshot,
} from '../../../src/incidents/model.js';
import {
  type Observation,
  type ObservedFailure,
  type ReconcileOptions,
  reconcile,
} from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import type { Subscription } from '../../../src/incidents/subscription.js';
import { subscription as aSubscription } from '../../helpers/subscriptions.js';

/** All test times are minutes after T0. */
export const T0 = Date.parse('2026-03-02T12:00:00.000Z');
export const ms = (minute: number): number => T0 + minute * 60_000;
export const at = (minute: number): string => new Date(ms(minute)).toISOString();

export const SERVICE = 'acme';
export const OPTIONS: ReconcileOptions = { serviceName: 'Acme' };

export const update = (
  id: string,
  status: IncidentUpdate['status'],
  minute: number,
  body = `${status} text`,
): IncidentUpdate => ({ id, status, body, at: at(minute) });

/** An incident that started at minute 0 with one update; override anything. */
export const incident = (id: string, over: Partial<Incident> = {}): Incident => ({
  id,
  title: `Incident ${id}`,
  status: 'investigating',
  impact: 'minor',
  components: [],
  updates: [update(`${id}-1`, 'investigating', 0)],
  startedAt: at(0),
  origin: 'status_page',
  url: `https://status.acme.test/incidents/${id}`,
  ...over,
});

/** An incident open from `from` (investigating) to `to` (resolved), in minutes. */
export const resolvedIncident = (
  id: string,
  from: number,
  to: number,
  over: Partial<Incident> = {},
): Incident =>
  incident(id, {
    status: 'resolved',
    startedAt: at(from),
    resolvedAt: at(to),
    updates: [update(`${id}-1`, 'investigating', from), update(`${id}-r`, 'resolved', to)],
    ...over,
  });

export const maintenance = (
  id: string,
  status: MaintenanceStatus,
  updates: IncidentUpdate[],
  over: Partial<Maintenance> = {},
): Maintenance => ({
  id,
  title: `Maintenance ${id}`,
  status,
  impact: 'none',
  components: ['Database'],
  updates,
  scheduledFor: at(60),
  scheduledUntil: at(120),
  ...over,
});

export const component = (id: string, status: ComponentStatus, name = `Comp ${id}`): Component => ({
  id,
  name,
  status,
});

export interface SnapshotParts {
  incidents?: Incident[];
  maintenances?: Maintenance[];
  components?: Component[];
  resolutionsKnown?: boolean;
}

export const snapshot = (minute: number, parts: SnapshotParts = {}): Snapshot => ({
  serviceId: SERVICE,
  fetchedAt: at(minute),
  incidents: parts.incidents ?? [],
  maintenances: parts.maintenances ?? [],
  components: parts.components ?? [],
  resolutionsKnown: parts.resolutionsKnown ?? true,
  pageUrl: 'https://status.acme.test',
});

export const failure = (minute: number, message = 'timed out after 10000 ms'): ObservedFailure => ({
  ok: false,
  serviceId: SERVICE,
  failure: { kind: 'timeout', message },
  at: at(minute),
});

/** The state after reconciling each observation in turn, from nothing. */
export const stateAfter = (
  history: Observation[],
  options: ReconcileOptions = OPTIONS,
): ServiceState | undefined => {
  let state: ServiceState | undefined;
  for (const observation of history) state = reconcile(state, observation, options).state;
  return state;
};

/** The events of each observation in turn, from no state. */
export const eventsByPoll = (
  history: Observation[],
  options: ReconcileOptions = OPTIONS,
): IncidentEvent[][] => {
  let state: ServiceState | undefined;
  return history.map((observation) => {
    const result = reconcile(state, observation, options);
    state = result.state;
    return result.events;
  });
};

/** `type id subjectStatus [combined] [inferred]`: one line per event, easy to read in a table. */
export const describeEvent = (e: IncidentEvent): string =>
  [e.type, e.id, e.subject.status, e.combined && 'combined', e.inferred && 'inferred']
    .filter(Boolean)
    .join(' ');

/** The id of the component incident that started at `minute`. */
export const componentSubject = (componentId: string, minute: number): string =>
  `component:${componentId}:${ms(minute)}`;

export const subscription = (
  channelId: string,
  over: Partial<Subscription> & { minImpact?: Impact; components?: string[] } = {},
): Subscription => {
  const { minImpact = 'none', components = [], ...rest } = over;
  return aSubscription({
    serviceId: SERVICE,
    channel: { platform: 'slack', workspaceId: 'T1', channelId },
    filters: { minImpact, components },
    createdAt: at(0),
    ...rest,
  });
};
