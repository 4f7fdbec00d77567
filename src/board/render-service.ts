import { humanStatus } from '../incidents/format.js';
import type { OpenIncident, ServiceBoard, SourceStatus } from './board-data.js';
import type { DayLevel } from './day-bars.js';
import { attr, safeHttpUrl, text } from './html.js';
import { type Links, renderBars, swatch } from './render-bars.js';
import { updateItems } from './render-updates.js';
import { momentText } from './time-text.js';

/** The headline's dot takes the colour of the matching bar level. */
const DOT_LEVEL: Record<ServiceBoard['state']['level'], DayLevel> = {
  ok: 'ok',
  none: 'none',
  minor: 'minor',
  major: 'major',
  critical: 'critical',
  degraded: 'minor',
  maintenance: 'none',
  unknown: 'nodata',
};

/** One service's card: headline, open incidents with their updates, the bars, source health. */
export function renderService(board: ServiceBoard, links: Links, headingLevel: 2 | 3 = 2): string {
  const h = `h${headingLevel}`;
  const page = safeHttpUrl(board.pageUrl);
  const open =
    board.open.length === 0
      ? ''
      : `<h3>Open incidents</h3>${board.open.map((o) => renderOpen(o)).join('')}`;
  return `<section class="service" aria-labelledby="s-${attr(board.id)}">
<div class="service-head">
<${h} id="s-${attr(board.id)}"><a href="${attr(links.href(`/services/${board.id}`))}">${text(board.name)}</a></${h}>
<p class="state">${swatch(DOT_LEVEL[board.state.level], 'dot')}${text(board.state.text)}</p>
</div>
${open}
${renderBars(board, links)}
<h3>Sources</h3>
<ul class="sources">${board.sources.map((s) => `<li>${text(sourceLine(s))}</li>`).join('')}</ul>
${page ? `<p class="meta"><a href="${attr(page)}" rel="noopener noreferrer">${text(board.name)} status page</a></p>` : ''}
</section>`;
}

function renderOpen({ incident, status }: OpenIncident): string {
  const meta = [
    incident.impact === 'none' ? 'No impact stated' : `${humanStatus(incident.impact)} impact`,
    humanStatus(status),
    `since ${momentText(incident.startedAt)}`,
  ];
  if (incident.components.length > 0) meta.push(`affects ${incident.components.join(', ')}`);
  const url = safeHttpUrl(incident.url);
  const updates = updateItems([...incident.updates].reverse());
  return `<article class="incident i-${attr(incident.impact)}">
<h4>${text(incident.title)}</h4>
<p class="meta">${text(meta.join(' · '))}</p>
${updates ? `<ol class="updates" aria-label="Updates, newest first">${updates}</ol>` : ''}
${url ? `<p class="meta"><a href="${attr(url)}" rel="noopener noreferrer">Incident on the status page</a></p>` : ''}
</article>`;
}

/** `statuspage www.githubstatus.com: healthy, last read 3 Dec 14:02 UTC`. */
export function sourceLine(source: SourceStatus): string {
  const what = `${source.kind} ${source.host}`;
  const since = source.since ? momentText(source.since) : undefined;
  switch (source.health) {
    case 'not_polled':
      return `${what}: not polled yet`;
    case 'failing':
      return `${what}: failing${source.detail ? ` (${source.detail})` : ''}${since ? ` since ${since}` : ''}`;
    case 'unreachable':
      return `${what}: unreachable ${since ? `since ${since}` : 'since the first poll'}`;
    default:
      return `${what}: healthy${since ? `, last read ${since}` : ''}`;
  }
}
