import { BOARD_CSS } from './board-css.js';
import { text } from './html.js';
import { momentText } from './time-text.js';

export interface PageParts {
  /** The document title and the page's one h1. */
  title: string;
  /** A line under the heading. */
  intro: string;
  /** Already escaped HTML of the main landmark. */
  main: string;
  nowIso: string;
  /** Already escaped HTML before the heading (a link back to the board). */
  nav?: string;
}

/** The document around a board view: landmarks, one h1, the inline stylesheet, no script. */
export function renderPage(parts: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${text(parts.title)}</title>
<style>${BOARD_CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
${parts.nav ? `<nav aria-label="Board">${parts.nav}</nav>` : ''}
<h1>${text(parts.title)}</h1>
<p class="muted">${text(parts.intro)} · as of ${text(momentText(parts.nowIso))}</p>
</header>
<main id="main">
${parts.main}
</main>
<footer>
<p>What the services' status pages and the bot's probes say, as outage-bot last read them. Times are UTC.</p>
</footer>
</body>
</html>
`;
}
