import type { Impact, IncidentStatus, MaintenanceStatus } from '../incidents/model.js';
import { toPlainText } from './plain-text.js';
import { lookup } from './values.js';

/**
 * The words feeds use for an incident's state: Statuspage's `<strong>Label</strong>`, incident.io's
 * `<b>Status: X</b>`, and title prefixes such as `Resolved:` or `[RESOLVED]`. Every pattern here
 * is anchored and reads a bounded prefix, so a huge body costs no more than a small one.
 */

export type FeedStatus = IncidentStatus | MaintenanceStatus;

const LABELS: Record<string, FeedStatus> = {
  investigating: 'investigating',
  identified: 'identified',
  monitoring: 'monitoring',
  resolved: 'resolved',
  postmortem: 'resolved',
  scheduled: 'scheduled',
  'in progress': 'in_progress',
  verifying: 'in_progress',
  completed: 'completed',
};

/** Statuspage's "Update" label: new text, status unchanged. */
export const isUpdateLabel = (label: string): boolean => label.trim().toLowerCase() === 'update';

export const labelStatus = (label: string): FeedStatus | undefined =>
  lookup(LABELS, label.trim().toLowerCase().replace(/\s+/g, ' '));

export const isMaintenanceStatus = (s: FeedStatus): s is MaintenanceStatus =>
  s === 'scheduled' || s === 'in_progress' || s === 'completed';

/** Bodies are read this far for a label; a label is always near the start. */
export const LABEL_SCAN_CHARS = 4_000;

const TITLE_PREFIX =
  /^\s*\[?\s*(investigating|identified|monitoring|update|resolved|completed|postmortem|scheduled|in progress|verifying)\s*\]?\s*[:\-–]\s*/i;
const BRACKET_RESOLVED = /^\s*\[\s*(resolved|completed)\s*\]\s*/i;
const OPERATING_NORMALLY = /operating normally/i;

/** A title with its status prefix taken off, and the status it named. */
export function splitTitle(title: string): { status?: FeedStatus; title: string } {
  const head = title.slice(0, 300);
  const prefix = TITLE_PREFIX.exec(head) ?? BRACKET_RESOLVED.exec(head);
  if (!prefix?.[1]) return { title: title.trim() };
  const rest = title.slice(prefix[0].length).trim() || title.trim();
  const status = isUpdateLabel(prefix[1]) ? undefined : labelStatus(prefix[1]);
  const inner = splitTitle(rest);
  return {
    ...(status ? { status } : inner.status ? { status: inner.status } : {}),
    title: inner.title,
  };
}

/** The first `<strong>Label</strong>` or `<b>Status: Label</b>` of a body, as plain text. */
export function firstBodyLabel(html: string): string | undefined {
  const head = html.slice(0, LABEL_SCAN_CHARS);
  const match = /<(strong|b)\b[^>]*>([^<]{1,60})<\/\1\s*>/i.exec(head);
  if (!match?.[2]) return undefined;
  return toPlainText(match[2]).replace(/^status:\s*/i, '');
}

/** The status an item states, title first, then its body; undefined when it states none. */
export function statedStatus(title: string, html: string): FeedStatus | undefined {
  const fromTitle = splitTitle(title).status;
  if (fromTitle) return fromTitle;
  const label = firstBodyLabel(html);
  const fromBody = label ? labelStatus(label) : undefined;
  if (fromBody) return fromBody;
  return OPERATING_NORMALLY.test(title.slice(0, 300)) ? 'resolved' : undefined;
}

/** AWS RSS titles: `Service disruption: …`, `Service is operating normally: [RESOLVED] …`. */
const AWS_PREFIX =
  /^\s*(informational message|performance issues|service disruption|service is operating normally)\s*:\s*/i;

const AWS_IMPACT: Record<string, Impact> = {
  'informational message': 'none',
  'performance issues': 'minor',
  'service disruption': 'major',
};

export function splitAwsTitle(title: string): {
  title: string;
  impact?: Impact;
  resolved: boolean;
} {
  const match = AWS_PREFIX.exec(title.slice(0, 300));
  const kind = match?.[1]?.toLowerCase();
  const rest = match ? title.slice(match[0].length) : title;
  const inner = splitTitle(rest);
  const resolved =
    kind === 'service is operating normally' ||
    inner.status === 'resolved' ||
    inner.status === 'completed';
  const impact = kind ? lookup(AWS_IMPACT, kind) : undefined;
  return { title: inner.title, resolved, ...(impact ? { impact } : {}) };
}
