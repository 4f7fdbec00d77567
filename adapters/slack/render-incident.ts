import type { types } from '@slack/bolt';
import { confidenceLine } from '../../src/incidents/confidence.js';
import type { EventSubject, IncidentEvent } from '../../src/incidents/model.js';
import type { Delivery, MentionKind } from '../../src/incidents/subscription.js';
import { closesThread, confirmsThread, isOver } from '../../src/incidents/thread-rules.js';
import { cut, LIMITS, linkTo, mentionFor, mrkdwn, plainText } from './escape.js';
import {
  durationBetween,
  impactEmoji,
  impactLabel,
  MAINTENANCE_EMOJI,
  RESOLVED_EMOJI,
  slackDate,
  statusLabel,
} from './format.js';
import { incidentActions } from './render-buttons.js';

/**
 * Incident messages as Block Kit, by pure functions (exact-output tests in
 * test/unit/slack/render-incident.test.ts). A thread is: a root message (the start), replies
 * (updates, the resolution), and the root edited to its closed form when it is over.
 */

export type Block = types.KnownBlock;

export interface SlackMessage {
  /** Notification and fallback text. */
  text: string;
  blocks: Block[];
}

export const METADATA_EVENT_TYPE = 'outage_bot_event';

/** Stored on every message, so the bot can tell later what it already posted. */
export function metadataFor(delivery: Delivery): types.MessageMetadata {
  return {
    event_type: METADATA_EVENT_TYPE,
    event_payload: {
      thread_key: delivery.event.threadKey,
      event_id: delivery.event.id,
      delivery_id: delivery.id,
    },
  };
}

/** The message that opens a thread for this event (whatever its type, when none exists yet). */
export function renderRoot(event: IncidentEvent, mention: MentionKind): SlackMessage {
  if (event.combined || closesThread(event) || isOver(event.subject)) {
    return renderClosedRoot(event);
  }
  const s = event.subject;
  const maintenance = s.kind === 'maintenance';
  const ping = mentionFor(mention);
  const title = maintenance
    ? `${MAINTENANCE_EMOJI} ${event.serviceName} maintenance: ${s.title}`
    : `${impactEmoji(s.impact)} ${event.serviceName}: ${s.title}`;
  const blocks: Block[] = [header(title)];
  if (ping) blocks.push(section(ping));
  blocks.push(fieldsBlock(openFields(event)));
  const latest = updateSection(event);
  if (latest) blocks.push(latest);
  const foot = footer(event);
  if (foot) blocks.push(foot);
  const actions = incidentActions(event, false);
  if (actions) blocks.push(actions);
  const summary = maintenance
    ? `${event.serviceName} maintenance: ${s.title} (${statusLabel(s.status)})`
    : `${event.serviceName}: ${s.title} (${impactLabel(s.impact).toLowerCase()} impact, ${statusLabel(s.status).toLowerCase()})`;
  return { text: fallback(ping, summary), blocks };
}

/** The root as it reads once the thread is over; also the combined started-and-resolved message. */
export function renderClosedRoot(event: IncidentEvent): SlackMessage {
  const s = event.subject;
  const maintenance = s.kind === 'maintenance';
  const word = maintenance ? 'Completed' : 'Resolved';
  const title = maintenance
    ? `${RESOLVED_EMOJI} ${word} · ${event.serviceName} maintenance: ${s.title}`
    : `${RESOLVED_EMOJI} ${word} · ${event.serviceName}: ${s.title}`;
  const blocks: Block[] = [header(title), fieldsBlock(closedFields(event))];
  if (event.combined) {
    const latest = updateSection(event);
    if (latest) blocks.push(latest);
  }
  const foot = footer(event);
  if (foot) blocks.push(foot);
  const actions = incidentActions(event, true);
  if (actions) blocks.push(actions);
  const lasted = durationBetween(s.startedAt, resolvedAt(event));
  const summary = `${word}: ${event.serviceName}${maintenance ? ' maintenance' : ''}: ${s.title}${lasted ? ` (lasted ${lasted})` : ''}`;
  return { text: fallback('', summary), blocks };
}

/**
 * A reply in the thread: an update, a reopening, a confirmation, the start of maintenance, or the
 * resolution. Only a confirmation may carry the subscription's ping (thread-rules mayPing).
 */
export function renderReply(event: IncidentEvent, mention: MentionKind = 'none'): SlackMessage {
  const s = event.subject;
  const when = slackDate(event.update?.at ?? event.at);
  const lasted = durationBetween(s.startedAt, resolvedAt(event));
  let head: string;
  switch (event.type) {
    case 'resolved':
      head = `${RESOLVED_EMOJI} *Resolved*${lasted ? ` after ${lasted}` : ''} · ${when}`;
      break;
    case 'maintenance_completed':
      head = `${RESOLVED_EMOJI} *Maintenance completed*${lasted ? ` after ${lasted}` : ''} · ${when}`;
      break;
    case 'maintenance_started':
      head = `${MAINTENANCE_EMOJI} *Maintenance in progress* · ${when}`;
      break;
    case 'maintenance_scheduled':
      head = `${MAINTENANCE_EMOJI} *Scheduled* for ${window(s)}`;
      break;
    case 'reopened':
      head = `:arrows_counterclockwise: *Reopened* (${statusLabel(s.status)}) · ${when}`;
      break;
    case 'confirmed':
      head = `:arrow_up: *${mrkdwn(confidenceLine(s) ?? 'Confirmed', 200)}* · ${when}`;
      break;
    default:
      head = `*${statusLabel(event.update?.status ?? s.status)}* · ${when}`;
  }
  const body = event.update?.body
    ? mrkdwn(event.update.body, LIMITS.section - head.length - 1)
    : '';
  const ping = confirmsThread(event) ? mentionFor(mention) : '';
  const blocks: Block[] = ping ? [section(ping)] : [];
  blocks.push(section(body ? `${head}\n${body}` : head));
  if (event.inferred) blocks.push(context([INFERRED_NOTE]));
  const label =
    event.type === 'updated' ? statusLabel(event.update?.status ?? s.status) : undefined;
  const summary = `${event.serviceName}: ${s.title} · ${label ?? replyWord(event)}${
    event.update?.body ? `: ${event.update.body}` : ''
  }`;
  return { text: fallback(ping, summary), blocks };
}

const INFERRED_NOTE =
  'The status page stopped listing this incident without publishing a resolution.';

const ORIGIN_NOTES: Partial<Record<EventSubject['origin'], string>> = {
  component: 'Opened by outage-bot: a component is degraded and the status page has no incident.',
  probe: "Detected by outage-bot's own checks, not by the status page.",
  reports: 'Opened from user reports, not by the status page.',
};

function replyWord(event: IncidentEvent): string {
  const words: Record<IncidentEvent['type'], string> = {
    started: 'Started',
    updated: 'Update',
    reopened: 'Reopened',
    confirmed: 'Confirmed',
    resolved: 'Resolved',
    maintenance_scheduled: 'Maintenance scheduled',
    maintenance_started: 'Maintenance in progress',
    maintenance_completed: 'Maintenance completed',
    digest: 'Weekly digest',
  };
  return words[event.type];
}

function resolvedAt(event: IncidentEvent): string | undefined {
  return event.subject.resolvedAt ?? (closesThread(event) ? event.at : undefined);
}

function openFields(event: IncidentEvent): Array<[string, string]> {
  const s = event.subject;
  const rows: Array<[string, string]> = [['Service', mrkdwn(event.serviceName, 500)]];
  if (s.kind === 'maintenance') {
    rows.push(['Status', statusLabel(s.status)], ['Window', window(s)]);
  } else {
    rows.push(
      ['Impact', `${impactEmoji(s.impact)} ${impactLabel(s.impact)}`],
      ['Status', statusLabel(s.status)],
      ['Started', slackDate(s.startedAt)],
    );
    const confidence = confidenceLine(s);
    if (confidence) rows.push(['Confidence', confidence]);
  }
  return withComponents(rows, s);
}

function closedFields(event: IncidentEvent): Array<[string, string]> {
  const s = event.subject;
  const end = resolvedAt(event);
  const lasted = durationBetween(s.startedAt, end);
  const rows: Array<[string, string]> = [['Service', mrkdwn(event.serviceName, 500)]];
  if (s.kind === 'maintenance') rows.push(['Status', 'Completed'], ['Window', window(s)]);
  else rows.push(['Impact', impactLabel(s.impact)], ['Status', 'Resolved']);
  rows.push(['Started', slackDate(s.startedAt)]);
  if (end) rows.push([s.kind === 'maintenance' ? 'Ended' : 'Resolved', slackDate(end)]);
  if (lasted) rows.push(['Duration', lasted]);
  return withComponents(rows, s);
}

function withComponents(rows: Array<[string, string]>, s: EventSubject): Array<[string, string]> {
  if (s.components.length > 0) rows.push(['Components', mrkdwn(s.components.join(', '), 1_900)]);
  return rows;
}

function window(s: EventSubject): string {
  const from = slackDate(s.scheduledFor ?? s.startedAt);
  return s.scheduledUntil ? `${from} – ${slackDate(s.scheduledUntil)}` : from;
}

function updateSection(event: IncidentEvent): Block | undefined {
  const update = event.update;
  if (!update?.body) return undefined;
  const head = `*${statusLabel(update.status)}* · ${slackDate(update.at)}`;
  return section(`${head}\n${mrkdwn(update.body, LIMITS.section - head.length - 1)}`);
}

function footer(event: IncidentEvent): Block | undefined {
  const parts: string[] = [];
  const link = linkTo(event.subject.url, 'View on the status page');
  if (link) parts.push(link);
  const note = ORIGIN_NOTES[event.subject.origin];
  if (note) parts.push(note);
  if (event.inferred) parts.push(INFERRED_NOTE);
  if (event.combined) parts.push('Started and resolved between two checks.');
  return parts.length > 0 ? context(parts) : undefined;
}

function fallback(ping: string, summary: string): string {
  const text = mrkdwn(summary, 500);
  return ping ? `${ping} ${text}` : text;
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: plainText(text), emoji: true } };
}

export function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(text, LIMITS.section) } };
}

function fieldsBlock(rows: Array<[string, string]>): Block {
  return {
    type: 'section',
    fields: rows.map(([label, value]) => ({
      type: 'mrkdwn' as const,
      text: cut(`*${label}*\n${value}`, LIMITS.field),
    })),
  };
}

export function context(texts: string[]): Block {
  return {
    type: 'context',
    elements: texts.map((text) => ({ type: 'mrkdwn' as const, text: cut(text, LIMITS.context) })),
  };
}
