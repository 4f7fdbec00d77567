import { formatDuration } from '../../src/incidents/format.js';
import { type Burst, type GroupMember, summarizeGroup } from '../../src/incidents/grouping.js';
import { type Impact, type IncidentEvent, impactRank } from '../../src/incidents/model.js';
import { cut, LIMITS, linkTo, mrkdwn } from './escape.js';
import { durationBetween, impactEmoji, RESOLVED_EMOJI, slackDate } from './format.js';
import {
  type Block,
  context,
  header,
  renderReply,
  type SlackMessage,
  section,
} from './render-incident.js';

/**
 * A group's messages (rule 8) as Block Kit, by pure functions: the root that lists the services
 * down together (the first one's start message, edited), and each service's messages in its
 * thread, named, since the thread holds several services.
 */

export const GROUP_NOTE =
  "Grouped by outage-bot: these services' incidents came in at about the same time. Each service's updates are in the thread.";

/** The group's root as it stands: headline, one line per service (open or recovered), the note. */
export function renderGroupRoot(group: Burst): SlackMessage {
  const summary = summarizeGroup(group);
  const lasted =
    summary.lastedMs === undefined ? '' : ` (lasted ${formatDuration(summary.lastedMs)})`;
  const mark = summary.over ? RESOLVED_EMOJI : impactEmoji(worstOpenImpact(group.members));
  const lines = group.members.map(memberLine);
  const blocks: Block[] = [
    header(`${mark} ${summary.headline}${lasted}`),
    section(cut(lines.join('\n'), LIMITS.section)),
    context([GROUP_NOTE]),
  ];
  const names = group.members.map((m) => m.serviceName).join(', ');
  return { text: mrkdwn(`${summary.headline}${lasted}: ${names}`, 500), blocks };
}

function memberLine(m: GroupMember): string {
  const name = `*${mrkdwn(m.serviceName, 200)}*`;
  const title = linkTo(m.url, m.title) ?? mrkdwn(m.title, 300);
  if (m.resolvedAt) {
    const lasted = durationBetween(m.startedAt, m.resolvedAt);
    return `${RESOLVED_EMOJI} ${name} — ${title} · recovered${lasted ? ` after ${lasted}` : ''}`;
  }
  return `${impactEmoji(m.impact)} ${name} — ${title} · since ${slackDate(m.startedAt)}`;
}

function worstOpenImpact(members: readonly GroupMember[]): Impact {
  const open = members.filter((m) => m.resolvedAt === undefined);
  return open.reduce<Impact>(
    (worst, m) => (impactRank(m.impact) > impactRank(worst) ? m.impact : worst),
    'none',
  );
}

/** A service's message in a group's thread: its start, or any later reply, led by its name. */
export function renderGroupedReply(event: IncidentEvent): SlackMessage {
  const name = `*${mrkdwn(event.serviceName, 200)}*`;
  if (event.type === 'started') {
    const s = event.subject;
    const head = `${impactEmoji(s.impact)} ${name} · *Started*: ${mrkdwn(s.title, 500)} · ${slackDate(s.startedAt)}`;
    const body = event.update?.body
      ? `\n${mrkdwn(event.update.body, LIMITS.section - head.length - 1)}`
      : '';
    const link = linkTo(s.url, 'View on the status page');
    const blocks: Block[] = [section(`${head}${body}`)];
    if (link) blocks.push(context([link]));
    return { text: mrkdwn(`${event.serviceName}: ${s.title} · Started`, 500), blocks };
  }
  const reply = renderReply(event);
  const [first, ...rest] = reply.blocks;
  const text = first?.type === 'section' ? first.text?.text : undefined;
  const named: Block = section(text ? `${name} · ${text}` : name);
  return { text: reply.text, blocks: [named, ...rest] };
}
