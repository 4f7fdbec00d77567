import { formatDuration } from '../incidents/format.js';
import type { HistoryIncident } from '../store/history.js';
import type { ServiceBoard } from './board-data.js';
import { BAR_DAYS, type Day, type DayLevel, LEVEL_TEXT } from './day-bars.js';
import { attr, text } from './html.js';
import { dayKey, dayText } from './time-text.js';

/** The days a phone shows (the rest are hidden by the stylesheet's narrow layout). */
const PHONE_DAYS = 30;

export interface Links {
  /** A board path, carrying the token when the page was opened with `?token=`. */
  href(path: string, fragment?: string): string;
}

const swatch = (level: DayLevel, cls = '') =>
  `<svg${cls ? ` class="${cls}"` : ''} viewBox="0 0 10 10" aria-hidden="true" focusable="false"><rect class="l-${level}" width="10" height="10" rx="2"/></svg>`;

/**
 * The 90-day bars of one service: a list of days, each a link to that day on the service's page,
 * named by its date and level; hover or focus shows the day's incidents beside it.
 */
export function renderBars(board: ServiceBoard, links: Links): string {
  const days = board.days.map((day, index) => renderDay(board, day, index, links)).join('');
  return `<h3 id="b-${attr(board.id)}">Last <span class="n90">${BAR_DAYS}</span><span class="n30">${PHONE_DAYS}</span> days</h3>
<ol class="bars" aria-labelledby="b-${attr(board.id)}">${days}</ol>
<p class="scale" aria-hidden="true"><span><span class="n90">${BAR_DAYS}</span><span class="n30">${PHONE_DAYS}</span> days ago</span><span>Today</span></p>
<ul class="legend" aria-label="Legend">${(
    ['ok', 'minor', 'major', 'critical', 'none', 'nodata'] as const
  )
    .map((level) => `<li>${swatch(level)}${text(LEVEL_TEXT[level])}</li>`)
    .join('')}</ul>`;
}

function renderDay(board: ServiceBoard, day: Day, index: number, links: Links): string {
  const key = dayKey(day.startMs);
  const tipId = `t-${board.id}-${key}`;
  const classes = ['day'];
  if (index < BAR_DAYS - PHONE_DAYS) classes.push('older');
  if (index >= BAR_DAYS / 2) classes.push('late');
  const count = day.incidents.length;
  const name = `${dayText(day.startMs)}: ${LEVEL_TEXT[day.level]}${count > 0 ? `, ${count} incident${count === 1 ? '' : 's'}` : ''}`;
  return `<li class="${classes.join(' ')}"><a class="bar" href="${attr(links.href(`/services/${board.id}`, `d-${key}`))}" aria-describedby="${attr(tipId)}"><svg viewBox="0 0 10 36" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="l-${day.level}" width="10" height="36" rx="2"/></svg><span class="sr">${text(name)}</span></a><div class="tip" role="tooltip" id="${attr(tipId)}">${tipOf(day)}</div></li>`;
}

function tipOf(day: Day): string {
  const heading = `<strong>${text(dayText(day.startMs))}</strong>`;
  if (day.incidents.length === 0) return `${heading}<br>${text(LEVEL_TEXT[day.level])}`;
  return `${heading}<ul>${day.incidents.map((i) => `<li>${text(incidentLine(i))}</li>`).join('')}</ul>`;
}

/** `Title (major, 1h 12m)` or `Title (minor, ongoing)`. */
export function incidentLine(incident: HistoryIncident): string {
  const lasted = incident.resolvedAt
    ? formatDuration(Date.parse(incident.resolvedAt) - Date.parse(incident.startedAt))
    : 'ongoing';
  return `${incident.title} (${incident.impact === 'none' ? 'no impact stated' : incident.impact}, ${lasted})`;
}

export { swatch };
