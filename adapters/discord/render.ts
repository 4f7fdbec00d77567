import type { APIEmbed, APIEmbedField } from 'discord.js';
import { confidenceLine } from '../../src/incidents/confidence.js';
import { formatDuration, humanStatus } from '../../src/incidents/format.js';
import type { EventSubject, IncidentEvent } from '../../src/incidents/model.js';
import { closesThread, isOver } from '../../src/incidents/thread-rules.js';
import { EMBED_LIMITS, plain, safe, safeUrl } from './text.js';

/**
 * Incident embeds, as pure functions of the event (exact-output tests in
 * test/unit/discord/render.test.ts). Three shapes: the root message that opens a thread (also
 * used, with the final state, when it is edited at the end), a reply inside the thread, and the
 * thread's name. Times are Discord timestamps, so every reader sees their own time zone.
 */

export const COLORS = {
  critical: 0xed4245,
  major: 0xe67e22,
  minor: 0xfee75c,
  none: 0x99aab5,
  maintenance: 0x3498db,
  resolved: 0x57f287,
} as const;

/** `<t:1718000000:f>`: rendered by each client in the reader's locale and zone. */
export function discordTime(iso: string | undefined, style: 'f' | 'R'): string | undefined {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? undefined : `<t:${Math.floor(ms / 1000)}:${style}>`;
}

const isoOf = (value: string | undefined): string | undefined => {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

const when = (iso: string | undefined): string =>
  iso ? `${discordTime(iso, 'f')} (${discordTime(iso, 'R')})` : 'unknown';

export function colorOf(subject: EventSubject): number {
  if (isOver(subject)) return COLORS.resolved;
  if (subject.kind === 'maintenance') return COLORS.maintenance;
  return COLORS[subject.impact];
}

/** When it ended: the subject's own time, else the event's. */
const endedAt = (event: IncidentEvent): string => event.subject.resolvedAt ?? event.at;

function lasted(event: IncidentEvent): string {
  const start = event.subject.kind === 'maintenance' ? event.subject.scheduledFor : undefined;
  const from = Date.parse(start ?? event.subject.startedAt);
  const ms = Date.parse(endedAt(event)) - from;
  return Number.isNaN(ms) ? 'unknown' : formatDuration(ms);
}

const ORIGIN_NOTE: Record<EventSubject['origin'], string> = {
  status_page: 'Status page incident',
  component: 'A component is degraded; the status page has posted no incident',
  probe: "Detected by outage-bot's own checks",
  reports: 'Reported by users',
};

const INFERRED_NOTE = 'No longer listed on the status page, so it is assumed resolved.';

function footer(event: IncidentEvent): string {
  if (event.subject.kind === 'maintenance') return 'Scheduled maintenance';
  const note = ORIGIN_NOTE[event.subject.origin];
  return event.combined ? `${note} · started and resolved between two checks` : note;
}

function rootFields(event: IncidentEvent): APIEmbedField[] {
  const s = event.subject;
  const closed = isOver(s);
  const fields: APIEmbedField[] = [{ name: 'Status', value: humanStatus(s.status), inline: true }];
  if (s.kind === 'maintenance') {
    const from = discordTime(s.scheduledFor, 'f');
    const until = discordTime(s.scheduledUntil, 'f');
    const window = until ? `${from ?? 'unknown'} – ${until}` : (from ?? 'unknown');
    const relative = discordTime(s.scheduledFor, 'R');
    fields.push({ name: 'Window', value: relative ? `${window} (${relative})` : window });
  } else {
    fields.push({ name: 'Impact', value: humanStatus(s.impact), inline: true });
    fields.push({ name: 'Started', value: when(s.startedAt), inline: true });
    const confidence = confidenceLine(s);
    if (confidence && !closed) fields.push({ name: 'Confidence', value: confidence });
  }
  if (closed) {
    const label = s.kind === 'maintenance' ? 'Completed' : 'Resolved';
    fields.push({ name: label, value: when(endedAt(event)), inline: true });
    fields.push({ name: 'Duration', value: lasted(event), inline: true });
  }
  if (s.components.length > 0) {
    fields.push({
      name: 'Components',
      value: safe(s.components.join(', '), EMBED_LIMITS.fieldValue),
    });
  }
  return fields;
}

function rootDescription(event: IncidentEvent): string | undefined {
  const body = event.update?.body ? safe(event.update.body, EMBED_LIMITS.description - 200) : '';
  if (isOver(event.subject) && !event.combined) {
    const verb = event.subject.kind === 'maintenance' ? 'Completed' : 'Resolved';
    const summary = `**${verb}** after ${lasted(event)}.`;
    return event.inferred ? `${summary}\n${INFERRED_NOTE}` : summary;
  }
  if (event.inferred) return body ? `${body}\n\n${INFERRED_NOTE}` : INFERRED_NOTE;
  return body || undefined;
}

/**
 * The message that opens a thread: service, title, status, impact, start, components, link. With
 * a closed subject it is the resolved form the root is edited to (or a combined message). `ref`
 * ends the footer (`… · ref <ref>`).
 */
export function renderRoot(event: IncidentEvent, opts: { ref?: string } = {}): APIEmbed {
  const s = event.subject;
  const url = safeUrl(s.url);
  const description = rootDescription(event);
  const timestamp = isoOf(s.kind === 'maintenance' ? (s.scheduledFor ?? s.startedAt) : s.startedAt);
  return {
    author: { name: plain(event.serviceName, EMBED_LIMITS.author) },
    title: safe(s.title, EMBED_LIMITS.title),
    ...(url ? { url } : {}),
    ...(description ? { description } : {}),
    color: colorOf(s),
    fields: rootFields(event),
    // A forum post carries its thread's ref so a retried create can find it (deliver.ts).
    footer: { text: opts.ref ? `${footer(event)} · ref ${opts.ref}` : footer(event) },
    ...(timestamp ? { timestamp } : {}),
  };
}

function replyTitle(event: IncidentEvent): string {
  const status = humanStatus(event.update?.status ?? event.subject.status);
  switch (event.type) {
    case 'resolved':
      return 'Resolved';
    case 'maintenance_completed':
      return 'Maintenance completed';
    case 'maintenance_started':
      return 'Maintenance in progress';
    case 'reopened':
      return `Reopened: ${status}`;
    case 'confirmed':
      return plain(confidenceLine(event.subject) ?? 'Confirmed', EMBED_LIMITS.title);
    default:
      return status;
  }
}

/** A message inside the thread: an update, the resolution, a maintenance step. */
export function renderThreadReply(event: IncidentEvent): APIEmbed {
  const closing = closesThread(event);
  const body = event.update?.body ? safe(event.update.body, EMBED_LIMITS.description - 200) : '';
  const description =
    event.inferred && closing ? [body, INFERRED_NOTE].filter(Boolean).join('\n\n') : body;
  const timestamp = isoOf(event.update?.at ?? event.at);
  return {
    title: replyTitle(event),
    ...(description ? { description } : {}),
    color: closing ? COLORS.resolved : colorOf(event.subject),
    ...(closing ? { fields: [{ name: 'Duration', value: lasted(event), inline: true }] } : {}),
    ...(timestamp ? { timestamp } : {}),
  };
}

/** Thread (or forum post) name: "Service: title", one line, at most 100 characters. */
export function threadName(event: IncidentEvent): string {
  return plain(`${event.serviceName}: ${event.subject.title}`, EMBED_LIMITS.threadName);
}
