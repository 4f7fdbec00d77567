import { confidenceLine } from '../../src/incidents/confidence.js';
import { formatDuration, humanStatus, lastedMs } from '../../src/incidents/format.js';
import { type Burst, summarizeGroup } from '../../src/incidents/grouping.js';
import type { EventSubject, IncidentEvent } from '../../src/incidents/model.js';
import { confirmsThread, reopensThread } from '../../src/incidents/thread-rules.js';

/**
 * Plain-text rendering for a terminal. One block per message; every line of a thread carries the
 * thread's key in brackets, so a reader (or a test) can follow a thread through the feed.
 */

const IMPACT_MARK: Record<string, string> = {
  none: '⚪',
  minor: '🟡',
  major: '🟠',
  critical: '🔴',
};

const TITLES: Record<IncidentEvent['type'], string> = {
  started: 'Incident started',
  updated: 'Update',
  reopened: '🔁 Reopened',
  confirmed: '⬆ Confirmed',
  resolved: 'Resolved',
  maintenance_scheduled: 'Maintenance scheduled',
  maintenance_started: 'Maintenance started',
  maintenance_completed: 'Maintenance completed',
  digest: 'Weekly digest',
};

/**
 * Terminal control sequences and bidi overrides in a feed's text could rewrite or disguise the
 * operator's screen; only line breaks survive, and `oneLine` removes those too.
 */
export function terminalSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** Titles and names stay on their line, so a title cannot forge another thread's line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function utc(iso: string | undefined): string {
  if (!iso) return 'unknown time';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? 'unknown time'
    : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function facts(subject: EventSubject): string {
  const parts = [`Impact: ${subject.impact}`, `Status: ${humanStatus(subject.status)}`];
  if (subject.kind === 'maintenance') {
    parts.push(`Window: ${utc(subject.scheduledFor)} to ${utc(subject.scheduledUntil)}`);
  } else {
    parts.push(`Since ${utc(subject.startedAt)}`);
  }
  return parts.join(' · ');
}

/** The first message of a thread (also used when a thread is joined late). */
export function renderStart(event: IncidentEvent): string {
  const s = event.subject;
  const tag = `[${oneLine(event.threadKey)}]`;
  const mark = s.kind === 'maintenance' ? '🔧' : (IMPACT_MARK[s.impact] ?? '⚪');
  const title = event.combined
    ? 'Incident started and resolved'
    : event.type === 'started'
      ? TITLES.started
      : event.type === 'confirmed'
        ? 'Incident confirmed'
        : TITLES[event.type];
  const lines = [
    `┏ ${tag} ${mark} ${title}: ${oneLine(event.serviceName)} — ${oneLine(s.title)}`,
    `┃ ${facts(s)}`,
  ];
  const confidence = confidenceLine(s);
  if (confidence && !event.combined) lines.push(`┃ ${confidence}`);
  if (s.components.length > 0) lines.push(`┃ Components: ${oneLine(s.components.join(', '))}`);
  if (event.update?.body) lines.push(...event.update.body.split('\n').map((l) => `┃ ${l}`));
  const lasted = lastedMs(s);
  if (event.combined && lasted !== undefined) lines.push(`┃ Lasted ${formatDuration(lasted)}`);
  if (s.url) lines.push(`┃ ${oneLine(s.url)}`);
  lines.push('┗');
  return terminalSafe(lines.join('\n'));
}

/** A reply in an existing thread: an update, a resolution, a maintenance step. */
export function renderReply(event: IncidentEvent): string {
  const tag = `[${oneLine(event.threadKey)}]`;
  const status = event.update ? ` (${humanStatus(event.update.status)})` : '';
  const lasted = lastedMs(event.subject);
  const head =
    event.type === 'resolved'
      ? `✅ Resolved${lasted === undefined ? '' : ` after ${formatDuration(lasted)}`}${event.inferred ? ' (no longer listed on the status page)' : ''}`
      : confirmsThread(event)
        ? `⬆ ${confidenceLine(event.subject) ?? 'Confirmed'}`
        : `${TITLES[event.type]}${status}`;
  const body = event.update?.body ? `: ${event.update.body.replace(/\n+/g, ' ')}` : '';
  return terminalSafe(`  ↳ ${tag} ${head}${body}`);
}

/** What the start message would now say, since a terminal cannot edit what it printed. */
export function renderRootEdit(event: IncidentEvent): string {
  const lasted = lastedMs(event.subject);
  const outcome = confirmsThread(event)
    ? (confidenceLine(event.subject) ?? 'Confirmed')
    : reopensThread(event)
      ? `Open again (${humanStatus(event.subject.status)})`
      : `${event.type === 'maintenance_completed' ? 'Completed' : 'Resolved'}${lasted === undefined ? '' : ` (lasted ${formatDuration(lasted)})`}`;
  return terminalSafe(
    `  ✎ [${oneLine(event.threadKey)}] start message now reads: ${outcome} — ${oneLine(event.serviceName)}: ${oneLine(event.subject.title)}`,
  );
}

/**
 * A message of a service in a group's thread (rule 8): tagged with the group's root, and named,
 * since the thread holds several services. A member's start reads like a start, on one line.
 */
export function renderGroupedReply(event: IncidentEvent, rootTag: string): string {
  const tag = `[${oneLine(rootTag)}]`;
  const name = oneLine(event.serviceName);
  if (event.type === 'started') {
    const s = event.subject;
    const body = event.update?.body ? `: ${event.update.body.replace(/\n+/g, ' ')}` : '';
    const mark = IMPACT_MARK[s.impact] ?? '⚪';
    return terminalSafe(
      `  ↳ ${tag} ${name}: ${mark} Incident started — ${oneLine(s.title)}${body}`,
    );
  }
  const reply = renderReply(event);
  const head = `  ↳ [${oneLine(event.threadKey)}] `;
  return terminalSafe(`  ↳ ${tag} ${name}: ${reply.slice(head.length)}`);
}

/** What a group's root now says: the headline and each member, open or recovered, on one line. */
export function renderGroupRoot(group: Burst, rootTag: string): string {
  const summary = summarizeGroup(group);
  const lasted =
    summary.lastedMs === undefined ? '' : ` (lasted ${formatDuration(summary.lastedMs)})`;
  const members = group.members.map((m) => {
    const mark = m.resolvedAt ? '✅' : (IMPACT_MARK[m.impact] ?? '⚪');
    const recovered = m.resolvedAt ? ' (recovered)' : '';
    return `${mark} ${oneLine(m.serviceName)}: ${oneLine(m.title)}${recovered}`;
  });
  return terminalSafe(
    `  ✎ [${oneLine(rootTag)}] start message now reads: ${summary.headline}${lasted} — ${members.join(' · ')}`,
  );
}

/**
 * Said before a message the bot may have printed already: it was killed between printing it and
 * recording that it had (console-adapter.ts). `threadTag` is the tag the message carries.
 */
export function renderRepeatNotice(threadTag: string): string {
  return terminalSafe(
    `  ↻ [${oneLine(threadTag)}] printed again after a restart (the bot stopped before it could record it): it may be above already`,
  );
}
