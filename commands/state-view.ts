import type { ComponentStatus } from '../src/incidents/model.js';
import { impactRank } from '../src/incidents/model.js';
import type { ServiceState, TrackedSubject } from '../src/incidents/state.js';
import type { ReplyItem } from './command.js';
import { formatTime, plural } from './format.js';

const CLOSED = new Set(['resolved', 'completed']);

/** Open incidents first (worst impact, then oldest), then maintenances in progress or planned. */
export function openSubjects(state: ServiceState): TrackedSubject[] {
  return Object.values(state.subjects)
    .filter((t) => t.closedAt === undefined && !CLOSED.has(t.subject.status))
    .sort((a, b) => {
      const kind =
        Number(a.subject.kind === 'maintenance') - Number(b.subject.kind === 'maintenance');
      if (kind !== 0) return kind;
      const impact = impactRank(b.subject.impact) - impactRank(a.subject.impact);
      return impact !== 0 ? impact : subjectStart(a).localeCompare(subjectStart(b));
    });
}

const subjectStart = (t: TrackedSubject): string => t.subject.scheduledFor ?? t.subject.startedAt;

/** One reply line for an open incident or maintenance; `prefix` names the service in lists. */
export function subjectItem(tracked: TrackedSubject, prefix?: string): ReplyItem {
  const s = tracked.subject;
  const details: string[] = [];
  if (s.kind === 'maintenance') {
    if (s.status === 'scheduled') {
      details.push(`maintenance scheduled for ${formatTime(s.scheduledFor ?? s.startedAt)}`);
    } else {
      details.push('maintenance in progress');
      if (s.scheduledUntil) details.push(`until ${formatTime(s.scheduledUntil)}`);
    }
  } else {
    if (s.impact !== 'none') details.push(`${s.impact} impact`);
    details.push(s.status);
    details.push(`since ${formatTime(s.startedAt)}`);
  }
  const item: ReplyItem = {
    label: prefix ? `${prefix}: ${s.title}` : s.title,
    detail: details.join(', '),
  };
  if (s.url) item.url = s.url;
  return item;
}

/**
 * Says when the status page could not be read. An unreachable page is never "all clear": the
 * reader must know the picture is stale. Undefined when the last poll succeeded.
 */
export function unreachableNote(state: ServiceState): string | undefined {
  const h = state.health;
  if (h.consecutiveFailures === 0) return undefined;
  const since = h.lastOkAt ? `since ${formatTime(h.lastOkAt)}` : 'since the first poll';
  return `status page unreachable ${since} (${plural(h.consecutiveFailures, 'failed poll')} in a row)`;
}

export function humanComponentStatus(status: ComponentStatus): string {
  return status.replaceAll('_', ' ');
}

/** Components the page shows as anything but operational, worst first. */
export function degradedComponents(state: ServiceState): ReplyItem[] {
  const order: ComponentStatus[] = [
    'major_outage',
    'partial_outage',
    'degraded_performance',
    'under_maintenance',
  ];
  return Object.values(state.components)
    .filter((c) => c.status !== 'operational')
    .sort(
      (a, b) => order.indexOf(a.status) - order.indexOf(b.status) || a.name.localeCompare(b.name),
    )
    .map((c) => ({
      label: c.name,
      detail: `${humanComponentStatus(c.status)} since ${formatTime(c.since)}`,
    }));
}
