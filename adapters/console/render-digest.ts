import type { ChannelDigest, DigestIncident } from '../../src/digest/digest-model.js';
import {
  countsLine,
  lastedText,
  periodLine,
  quietIntro,
  sinceText,
} from '../../src/digest/digest-text.js';
import { terminalSafe } from './render.js';

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

const titleOf = (i: DigestIncident): string =>
  i.url ? `${oneLine(i.title)} <${oneLine(i.url)}>` : oneLine(i.title);

/**
 * A channel's weekly digest for the terminal: every service in full (a terminal has no size
 * limit to respect), control characters stripped and titles kept to their line.
 */
export function renderDigestText(d: ChannelDigest): string {
  const lines = [`┏ [digest] Weekly digest: ${periodLine(d)}`];
  for (const s of d.services) {
    lines.push(`┃ ${oneLine(s.serviceName)}: ${countsLine(s)}`);
    lines.push(`┃   Longest: ${titleOf(s.longest)} (${lastedText(s.longest.durationMs)})`);
    for (const i of s.open) {
      lines.push(`┃   Still open: ${titleOf(i)} (${sinceText(i.startedAt, d.timeZone)})`);
    }
  }
  const intro = quietIntro(d);
  if (intro) {
    const names = d.quiet.map(oneLine).join(', ');
    lines.push(`┃ ${d.quiet.length > 0 ? `${intro} ${names}.` : intro}`);
  }
  lines.push('┗');
  return terminalSafe(lines.join('\n'));
}
