import type {
  ChannelDigest,
  DigestIncident,
  DigestServiceWeek,
} from '../../src/digest/digest-model.js';
import {
  countsLine,
  DIGEST_SERVICES_SHOWN,
  digestSummary,
  lastedText,
  moreServicesLine,
  periodLine,
  quietIntro,
  sinceText,
} from '../../src/digest/digest-text.js';
import { linkTo, literal } from './escape.js';
import { type Block, context, header, type SlackMessage, section } from './render-incident.js';

/** Open incidents listed per service; the rest are counted. */
const OPEN_SHOWN = 5;
const TITLE_MAX = 200;

const titleOf = (i: DigestIncident): string =>
  linkTo(i.url, i.title) ?? literal(i.title, TITLE_MAX);

function serviceText(s: DigestServiceWeek, timeZone: string): string {
  const lines = [
    `*${literal(s.serviceName, 200)}*: ${countsLine(s)}`,
    `Longest: ${titleOf(s.longest)} (${lastedText(s.longest.durationMs)})`,
    ...s.open
      .slice(0, OPEN_SHOWN)
      .map((i) => `Still open: ${titleOf(i)} (${sinceText(i.startedAt, timeZone)})`),
  ];
  if (s.open.length > OPEN_SHOWN) lines.push(`and ${s.open.length - OPEN_SHOWN} more still open`);
  return lines.join('\n');
}

/**
 * A channel's weekly digest as one Block Kit message (no thread): a header, the period, one
 * section per service with incidents, then the quiet ones. Titles and names are escaped.
 */
export function renderDigest(d: ChannelDigest): SlackMessage {
  const blocks: Block[] = [header('Weekly digest'), context([literal(periodLine(d))])];
  for (const s of d.services.slice(0, DIGEST_SERVICES_SHOWN)) {
    blocks.push(section(serviceText(s, d.timeZone)));
  }
  const more = moreServicesLine(d.services.length - DIGEST_SERVICES_SHOWN);
  if (more) blocks.push(context([more]));
  const intro = quietIntro(d);
  if (intro) {
    const names = d.quiet.map((n) => literal(n, 100)).join(', ');
    blocks.push(section(d.quiet.length > 0 ? `${intro} ${names}.` : intro));
  }
  return { text: digestSummary(d), blocks };
}
