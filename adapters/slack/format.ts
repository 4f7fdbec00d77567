import { formatDuration } from '../../src/incidents/format.js';
import type { Impact, IncidentStatus, MaintenanceStatus } from '../../src/incidents/model.js';

/** Words and small pieces shared by the Slack renderers. All pure. */

const STATUS_LABELS: Record<IncidentStatus | MaintenanceStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
};

const IMPACT_LABELS: Record<Impact, string> = {
  none: 'No impact',
  minor: 'Minor',
  major: 'Major',
  critical: 'Critical',
};

const IMPACT_EMOJI: Record<Impact, string> = {
  none: ':white_circle:',
  minor: ':large_yellow_circle:',
  major: ':large_orange_circle:',
  critical: ':red_circle:',
};

export const RESOLVED_EMOJI = ':white_check_mark:';
export const MAINTENANCE_EMOJI = ':wrench:';

export const statusLabel = (s: IncidentStatus | MaintenanceStatus): string => STATUS_LABELS[s] ?? s;
export const impactLabel = (i: Impact): string => IMPACT_LABELS[i] ?? i;
export const impactEmoji = (i: Impact): string => IMPACT_EMOJI[i] ?? IMPACT_EMOJI.none;

/**
 * Slack's date token: every reader sees the time in their own time zone; the fallback (UTC) is
 * shown where the token cannot be rendered (notifications, old clients).
 */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 'an unknown time';
  const epoch = Math.floor(ms / 1000);
  return `<!date^${epoch}^${format}|${utcFallback(ms)}>`;
}

export function utcFallback(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function durationBetween(startIso: string, endIso: string | undefined): string | undefined {
  if (!endIso) return undefined;
  const ms = Date.parse(endIso) - Date.parse(startIso);
  return Number.isNaN(ms) ? undefined : formatDuration(Math.max(0, ms));
}
