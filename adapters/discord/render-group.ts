import type { APIEmbed } from 'discord.js';
import { formatDuration } from '../../src/incidents/format.js';
import { type Burst, type GroupMember, summarizeGroup } from '../../src/incidents/grouping.js';
import { IMPACTS, type IncidentEvent, impactRank } from '../../src/incidents/model.js';
import { COLORS, colorOf, discordTime, renderThreadReply } from './render.js';
import { cut, EMBED_LIMITS, safe, safeUrl } from './text.js';

/**
 * A group's messages (rule 8) as embeds, by pure functions: the root listing the services down
 * together (the first one's start message, edited), and each service's messages in the thread,
 * titled with its name since the thread holds several services.
 */

export const GROUP_NOTE =
  "Grouped by outage-bot: these services' incidents came in at about the same time. Each service's updates are in the thread";

/** The group's root as it stands. `ref` ends the footer, as on a forum post's starter. */
export function renderGroupRoot(group: Burst, opts: { ref?: string } = {}): APIEmbed {
  const summary = summarizeGroup(group);
  const lasted =
    summary.lastedMs === undefined ? '' : ` (lasted ${formatDuration(summary.lastedMs)})`;
  const open = group.members.filter((m) => m.resolvedAt === undefined);
  const worst = open.reduce((w, m) => Math.max(w, impactRank(m.impact)), 0);
  const color = summary.over ? COLORS.resolved : COLORS[IMPACTS[worst] ?? 'none'];
  const first = group.members[0]?.startedAt;
  return {
    title: cut(`${summary.headline}${lasted}`, EMBED_LIMITS.title),
    description: cut(group.members.map(memberLine).join('\n'), EMBED_LIMITS.description),
    color,
    footer: { text: opts.ref ? `${GROUP_NOTE} · ref ${opts.ref}` : GROUP_NOTE },
    ...(first && !Number.isNaN(Date.parse(first))
      ? { timestamp: new Date(first).toISOString() }
      : {}),
  };
}

function memberLine(m: GroupMember): string {
  const name = `**${safe(m.serviceName, 200)}**`;
  const title = safe(m.title, 300);
  if (m.resolvedAt) {
    const ms = Date.parse(m.resolvedAt) - Date.parse(m.startedAt);
    const after = Number.isNaN(ms) ? '' : ` after ${formatDuration(Math.max(0, ms))}`;
    return `✅ ${name} — ${title} · recovered${after}`;
  }
  const since = discordTime(m.startedAt, 'R');
  return `${MARKS[m.impact] ?? '⚪'} ${name} — ${title}${since ? ` · since ${since}` : ''}`;
}

const MARKS: Record<string, string> = { none: '⚪', minor: '🟡', major: '🟠', critical: '🔴' };

/** A service's message in a group's thread: its start, or any later reply, titled with its name. */
export function renderGroupedReply(event: IncidentEvent): APIEmbed {
  const name = safe(event.serviceName, 100);
  if (event.type === 'started') {
    const s = event.subject;
    const url = safeUrl(s.url);
    const body = event.update?.body ? safe(event.update.body, EMBED_LIMITS.description - 200) : '';
    const at = Date.parse(s.startedAt);
    return {
      title: cut(`${name} · Started: ${safe(s.title, EMBED_LIMITS.title)}`, EMBED_LIMITS.title),
      ...(url ? { url } : {}),
      ...(body ? { description: body } : {}),
      color: colorOf(s),
      ...(Number.isNaN(at) ? {} : { timestamp: new Date(at).toISOString() }),
    };
  }
  const reply = renderThreadReply(event);
  return { ...reply, title: cut(`${name} · ${reply.title ?? ''}`, EMBED_LIMITS.title) };
}
