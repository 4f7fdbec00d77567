import { startFixtureServer } from '../fakes/fixture-server.js';
import { KIND_LAYOUT } from '../unit/sources/page-kinds.js';
import {
  COMPLETED_BY_ABSENCE,
  INCIDENT_LINES,
  INFERRED,
  type KindWalk,
  MAINTENANCE_LINES,
  READ_AT,
  RESOLVED_BY_ABSENCE,
  servePageFixture,
} from './kind-walk-helpers.js';
/** The status-page kinds whose written fixtures carry both incidents and maintenances. */
export const PAGE_KINDS = ['incidentio', 'instatus', 'betterstack', 'statusio', 'cachet'] as const;

export async function pageKindWalk(kind: string): Promise<KindWalk> {
  const server = await startFixtureServer();
  const layout = KIND_LAYOUT[kind];
  if (!layout) throw new Error(`no fixture layout for ${kind}`);
  const url = layout.url(server.url);
  const serve = (name: string) => () => servePageFixture(server, kind, name, READ_AT[kind]?.[name]);
  return {
    kind,
    server,
    pollPath: layout.paths[0] ?? '/',
    service: { id: kind, name: `${kind} page`, url, sources: [{ kind, url }] },
    baseline: serve('written-maintenance-completed'),
    steps: [
      { state: 'open', serve: serve('written-incident-open'), line: INCIDENT_LINES.open },
      { state: 'update', serve: serve('written-incident-updated'), line: INCIDENT_LINES.update },
      {
        state: 'resolved',
        serve: serve('written-incident-resolved'),
        line: RESOLVED_BY_ABSENCE.has(kind) ? INFERRED.resolved : INCIDENT_LINES.resolved,
      },
      {
        state: 'maintenance scheduled',
        serve: serve('written-maintenance-scheduled'),
        line: MAINTENANCE_LINES.scheduled,
      },
      {
        state: 'maintenance in progress',
        serve: serve('written-maintenance-in-progress'),
        line: MAINTENANCE_LINES.started,
      },
      {
        state: 'maintenance completed',
        serve: serve('written-maintenance-completed'),
        line: COMPLETED_BY_ABSENCE.has(kind) ? INFERRED.completed : MAINTENANCE_LINES.completed,
      },
    ],
  };
}
