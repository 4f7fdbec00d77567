import { formatDuration } from '../incidents/format.js';
import type { ChannelDigest, DigestServiceWeek } from './digest-model.js';
import { dateKey, localTimeAt } from './local-time.js';

/**
 * The digest's wording that carries no untrusted text, shared by every adapter's renderer
 * (adapters/<platform>/render-digest.ts), which escape titles and names in their own markup.
 */

/** How many services a digest lists in full; the rest are counted (platform size limits). */
export const DIGEST_SERVICES_SHOWN = 20;

/** `2026-12-07 09:00` on the zone's clock. */
export function localStamp(iso: string, timeZone: string): string {
  const t = localTimeAt(Date.parse(iso), timeZone);
  return `${dateKey(t)} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

/** "2026-11-30 09:00 to 2026-12-07 09:00 (Europe/Berlin)". */
export const periodLine = (d: ChannelDigest): string =>
  `${localStamp(d.periodStart, d.timeZone)} to ${localStamp(d.periodEnd, d.timeZone)} (${d.timeZone})`;

/** "2 incidents, 3h 10m down in total". */
export const countsLine = (s: DigestServiceWeek): string =>
  `${s.incidents} ${s.incidents === 1 ? 'incident' : 'incidents'}, ${formatDuration(s.downtimeMs)} down in total`;

export const lastedText = (ms: number): string => formatDuration(ms);

/** "since 2026-12-06 14:00". */
export const sinceText = (iso: string, timeZone: string): string =>
  `since ${localStamp(iso, timeZone)}`;

/** The one-line notification: "3 incidents on 2 services, 1 still open" or "a quiet week". */
export function digestSummary(d: ChannelDigest): string {
  if (d.services.length === 0) return 'Weekly digest: a quiet week';
  const incidents = d.services.reduce((n, s) => n + s.incidents, 0);
  const open = d.services.reduce((n, s) => n + s.open.length, 0);
  const services = `${d.services.length} ${d.services.length === 1 ? 'service' : 'services'}`;
  const parts = [`${incidents} ${incidents === 1 ? 'incident' : 'incidents'} on ${services}`];
  if (open > 0) parts.push(`${open} still open`);
  return `Weekly digest: ${parts.join(', ')}`;
}

/**
 * What is said of the services without incidents (their names are the renderer's to escape):
 * the whole digest when nothing happened, a closing line otherwise, nothing when all had some.
 */
export function quietIntro(d: ChannelDigest): string | undefined {
  if (d.services.length === 0) {
    return d.quiet.length === 0
      ? 'A quiet week: this channel follows no services.'
      : 'A quiet week: no incidents on';
  }
  return d.quiet.length === 0 ? undefined : 'No incidents on';
}

/** "and 3 more services with incidents": those a renderer had no room for. */
export const moreServicesLine = (hidden: number): string | undefined =>
  hidden > 0
    ? `and ${hidden} more ${hidden === 1 ? 'service' : 'services'} with incidents`
    : undefined;
