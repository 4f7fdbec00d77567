import type { APIEmbed, APIEmbedField } from 'discord.js';
import type {
  ChannelDigest,
  DigestIncident,
  DigestServiceWeek,
} from '../../src/digest/digest-model.js';
import {
  countsLine,
  DIGEST_SERVICES_SHOWN,
  lastedText,
  localStamp,
  moreServicesLine,
  periodLine,
  quietIntro,
  sinceText,
} from '../../src/digest/digest-text.js';
import { COLORS } from './render.js';
import { cut, EMBED_LIMITS, safe, safeUrl } from './text.js';

const OPEN_SHOWN = 3;
const TITLE_MAX = 150;
/** Under the 6000-character embed total, with room for the title and description. */
const FIELDS_BUDGET = 4_500;

function titleOf(i: DigestIncident): string {
  const title = safe(i.title, TITLE_MAX);
  const url = safeUrl(i.url);
  return url ? `[${title}](${url})` : title;
}

function serviceField(s: DigestServiceWeek, timeZone: string): APIEmbedField {
  const lines = [
    countsLine(s),
    `Longest: ${titleOf(s.longest)} (${lastedText(s.longest.durationMs)})`,
    ...s.open
      .slice(0, OPEN_SHOWN)
      .map((i) => `Still open: ${titleOf(i)} (${sinceText(i.startedAt, timeZone)})`),
  ];
  if (s.open.length > OPEN_SHOWN) lines.push(`and ${s.open.length - OPEN_SHOWN} more still open`);
  return {
    name: safe(s.serviceName, EMBED_LIMITS.fieldName),
    value: cut(lines.join('\n'), EMBED_LIMITS.fieldValue),
  };
}

/**
 * A channel's weekly digest as one embed (no thread): the period and the quiet services in the
 * description, one field per service with incidents, as many as the embed's limits hold.
 */
export function renderDigestEmbed(d: ChannelDigest, opts: { ref?: string } = {}): APIEmbed {
  const fields: APIEmbedField[] = [];
  let used = 0;
  for (const s of d.services.slice(0, DIGEST_SERVICES_SHOWN)) {
    const field = serviceField(s, d.timeZone);
    const size = field.name.length + field.value.length;
    if (used + size > FIELDS_BUDGET) break;
    fields.push(field);
    used += size;
  }
  const lines = [periodLine(d)];
  const more = moreServicesLine(d.services.length - fields.length);
  if (more) lines.push(more);
  const intro = quietIntro(d);
  if (intro) {
    const names = d.quiet.map((n) => safe(n, 100)).join(', ');
    lines.push(d.quiet.length > 0 ? `${intro} ${names}.` : intro);
  }
  return {
    title: 'Weekly digest',
    description: cut(lines.join('\n\n'), 1_000),
    color: d.services.some((s) => s.open.length > 0) ? COLORS.major : COLORS.resolved,
    ...(fields.length > 0 ? { fields } : {}),
    // A forum post's starter carries its ref, so a retried post finds it (deliver.ts).
    ...(opts.ref ? { footer: { text: `outage-bot · ref ${opts.ref}` } } : {}),
  };
}

/** A forum post's name: "Weekly digest to 2026-12-07". */
export const digestPostName = (d: ChannelDigest): string =>
  `Weekly digest to ${localStamp(d.periodEnd, d.timeZone).slice(0, 10)}`;
