import type { IncidentUpdate } from '../incidents/model.js';
import { type FeedStatus, isMaintenanceStatus, isUpdateLabel, labelStatus } from './feed-labels.js';
import { toPlainText } from './plain-text.js';
import { shortHash } from './values.js';

/**
 * A Statuspage RSS/Atom item body: every update newest first, each as
 * `<small>Jun 17, 03:54 UTC</small><br><strong>Label</strong> - text`, and for maintenance a
 * `THIS IS A SCHEDULED EVENT Jan 16, 12:00 - 16:00 GMT` banner first. Dates carry no year: it is
 * taken from the item's own date (the year that puts the update closest to it).
 */

export interface StatuspageBodyUpdate {
  /** null for the "Update" label: same status as the update before it. */
  status: FeedStatus | null;
  label: string;
  update: Omit<IncidentUpdate, 'status'>;
}

export interface StatuspageBody {
  /** Oldest first. */
  updates: StatuspageBodyUpdate[];
  maintenance: boolean;
  window?: { from: string; until?: string };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Offsets in minutes of the zone abbreviations Statuspage pages are set to most often. */
const ZONES: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  BST: 60,
  IST: 330,
  CET: 60,
  CEST: 120,
  EET: 120,
  EEST: 180,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  SGT: 480,
  HKT: 480,
};

const YEAR_MS = 365 * 24 * 60 * 60_000;

/** `Jun 17, 03:54` in `zone`, in the year closest to `referenceMs`; undefined if unreadable. */
function dateNear(
  month: string,
  day: string,
  time: string,
  zone: string | undefined,
  referenceMs: number,
): number | undefined {
  const m = MONTHS.indexOf(month.slice(0, 3).toLowerCase());
  const [hh, mm] = time.split(':').map(Number);
  if (m < 0 || hh === undefined || mm === undefined) return undefined;
  const offset = zone ? (ZONES[zone.toUpperCase()] ?? 0) : 0;
  const year = new Date(referenceMs).getUTCFullYear();
  const candidates = [year - 1, year, year + 1].map(
    (y) => Date.UTC(y, m, Number(day), hh, mm) - offset * 60_000,
  );
  const best = candidates.reduce((a, b) =>
    Math.abs(b - referenceMs) < Math.abs(a - referenceMs) ? b : a,
  );
  return Number.isFinite(best) && Math.abs(best - referenceMs) < YEAR_MS ? best : undefined;
}

const STAMP = /^([A-Za-z]{3,9})\s+(\d{1,2}),\s+(\d{1,2}:\d{2})\s*([A-Za-z]{1,5})?/;
/** `SCHEDULED EVENT Feb 8, 22:00 UTC - Feb 9, 13:00 UTC`, or `Jan 16, 12:00 - 16:00 GMT`. */
const BANNER =
  /SCHEDULED EVENT\s+([A-Za-z]{3,9})\s+(\d{1,2}),\s+(\d{1,2}:\d{2})\s*([A-Za-z]{1,5})?\s*-\s*(?:([A-Za-z]{3,9})\s+(\d{1,2}),\s+)?(\d{1,2}:\d{2})\s*([A-Za-z]{1,5})?/;

/** Bodies larger than this are cut before reading: no status page writes this much per item. */
const MAX_BODY_CHARS = 200_000;

export function parseStatuspageBody(html: string, referenceMs: number): StatuspageBody {
  const segments = html.slice(0, MAX_BODY_CHARS).split(/<small\b[^>]*>/i);
  const banner = toPlainText(segments[0] ?? '').slice(0, 300);
  const newestFirst: StatuspageBodyUpdate[] = [];
  for (const segment of segments.slice(1)) {
    const end = segment.search(/<\/small\s*>/i);
    const stamp = toPlainText(end >= 0 ? segment.slice(0, end) : '');
    const rest = end >= 0 ? segment.slice(end) : segment;
    const strong = /<strong\b[^>]*>([\s\S]{0,200}?)<\/strong\s*>/i.exec(rest);
    const label = strong?.[1] ? toPlainText(strong[1]) : '';
    const after = strong ? rest.slice(strong.index + strong[0].length) : rest;
    const body = toPlainText(after).replace(/^[-–]\s*/, '');
    const parts = STAMP.exec(stamp);
    const ms = parts
      ? dateNear(parts[1] ?? '', parts[2] ?? '', parts[3] ?? '', parts[4], referenceMs)
      : undefined;
    const at = new Date(ms ?? referenceMs).toISOString();
    newestFirst.push({
      status: isUpdateLabel(label) ? null : (labelStatus(label) ?? null),
      label,
      update: { id: `${at}:${shortHash(stamp, label, body)}`, body, at },
    });
  }
  const updates = newestFirst.reverse();
  const maintenance =
    /SCHEDULED EVENT/.test(banner) ||
    updates.some((u) => u.status !== null && isMaintenanceStatus(u.status));
  const result: StatuspageBody = { updates, maintenance };
  const window = BANNER.exec(banner);
  if (window) {
    const zone = window[8] ?? window[4];
    const from = dateNear(window[1] ?? '', window[2] ?? '', window[3] ?? '', zone, referenceMs);
    const until = dateNear(
      window[5] ?? window[1] ?? '',
      window[6] ?? window[2] ?? '',
      window[7] ?? '',
      zone,
      from ?? referenceMs,
    );
    if (from !== undefined) {
      result.window = { from: new Date(from).toISOString() };
      if (until !== undefined && until > from) result.window.until = new Date(until).toISOString();
    }
  }
  return result;
}
