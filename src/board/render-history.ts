import type { HistoryIncident } from '../store/history.js';
import type { ServiceBoard } from './board-data.js';
import { attr, safeHttpUrl, text } from './html.js';
import { incidentLine } from './render-bars.js';
import { updateItems } from './render-updates.js';
import { dayKey, dayText, momentText } from './time-text.js';

const DAY_MS = 24 * 60 * 60_000;

/**
 * The service page's list of the window's incidents, each once under the day it started, newest
 * first. Every bar links to `#d-<day>`: a day that started no incident still has that anchor.
 */
export function renderHistory(board: ServiceBoard): string {
  const byDay = new Map<number, HistoryIncident[]>();
  for (const incident of board.recent) {
    const day = Math.floor(Date.parse(incident.startedAt) / DAY_MS) * DAY_MS;
    byDay.set(day, [...(byDay.get(day) ?? []), incident]);
  }
  const anchors = board.days
    .filter((d) => !byDay.has(d.startMs))
    .map((d) => `<span id="d-${dayKey(d.startMs)}"></span>`)
    .join('');
  const body =
    byDay.size === 0
      ? '<p>No incidents in this window.</p>'
      : [...byDay]
          .map(
            ([day, incidents]) => `<h3 id="d-${dayKey(day)}">${text(dayText(day))}</h3>
${incidents.map(renderPast).join('')}`,
          )
          .join('');
  return `<section class="service" aria-labelledby="history">
<h2 id="history">Incidents, last 90 days</h2>${anchors}
${body}
</section>`;
}

function renderPast(incident: HistoryIncident): string {
  const url = safeHttpUrl(incident.url);
  const updates = updateItems(incident.updates);
  const span = `from ${momentText(incident.startedAt)}${incident.resolvedAt ? ` to ${momentText(incident.resolvedAt)}` : ', still open'}`;
  return `<article class="incident i-${attr(incident.impact)}">
<h4>${text(incidentLine(incident))}</h4>
<p class="meta">${text(span)}</p>
${updates ? `<ol class="updates">${updates}</ol>` : ''}
${url ? `<p class="meta"><a href="${attr(url)}" rel="noopener noreferrer">On the status page</a></p>` : ''}
</article>`;
}
