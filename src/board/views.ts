import type { ServiceBoard } from './board-data.js';
import { attr } from './html.js';
import type { Links } from './render-bars.js';
import { renderHistory } from './render-history.js';
import { renderPage } from './render-page.js';
import { renderService } from './render-service.js';

/** `/`: every followed service, the ones with open incidents named first in the intro. */
export function boardView(boards: readonly ServiceBoard[], nowIso: string, links: Links): string {
  const troubled = boards.filter((b) => b.open.length > 0).length;
  const followed = `${boards.length} service${boards.length === 1 ? '' : 's'} followed`;
  const intro =
    boards.length === 0
      ? 'No service is followed yet: subscribe a channel with /outage subscribe'
      : troubled === 0
        ? `${followed}, none with an open incident`
        : `${followed}, ${troubled} with open incidents`;
  const main = boards.map((b) => renderService(b, links)).join('\n');
  return renderPage({ title: 'Status board', intro, main, nowIso });
}

/** `/services/<id>`: one service's card, then every incident of the window with its updates. */
export function serviceView(board: ServiceBoard, nowIso: string, links: Links): string {
  return renderPage({
    title: `${board.name} status`,
    intro: `${board.state.text}`,
    main: `${renderService(board, links)}\n${renderHistory(board)}`,
    nowIso,
    nav: `<a href="${attr(links.href('/'))}">All services</a>`,
  });
}
