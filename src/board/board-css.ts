import { LEVEL_COLORS } from './day-bars.js';

/**
 * The board's one stylesheet, inlined in every page (no request, no client code). Text colours
 * keep at least 4.5:1 against their background in both schemes; impact is never told by colour
 * alone (every bar and state has words too).
 */
export const BOARD_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --card: #f6f8fa; --text: #1b1f24; --muted: #555e68; --line: #d0d7de;
  --link: #0550ae; --focus: #0969da;
  --ok: ${LEVEL_COLORS.ok}; --none: ${LEVEL_COLORS.none}; --minor: ${LEVEL_COLORS.minor};
  --major: ${LEVEL_COLORS.major}; --critical: ${LEVEL_COLORS.critical};
  --nodata: ${LEVEL_COLORS.nodata}; --tip: #1b1f24; --tip-text: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --card: #161b22; --text: #e6edf3; --muted: #9ea7b3; --line: #30363d;
    --link: #6cb6ff; --focus: #58a6ff;
    --ok: #3fb950; --none: #8aa7e8; --minor: #d29922; --major: #f0883e; --critical: #f85149;
    --nodata: #3d444d; --tip: #f0f3f6; --tip-text: #0d1117;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--link); }
a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem; }
.skip:focus { left: .5rem; }
header, main, footer { max-width: 64rem; margin: 0 auto; padding: 1rem; }
header h1 { margin: 0 0 .25rem; font-size: 1.75rem; }
.muted, footer { color: var(--muted); }
.service { background: var(--card); border: 1px solid var(--line); border-radius: .5rem;
  padding: 1rem; margin: 0 0 1rem; }
.service-head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .5rem;
  align-items: baseline; }
.service h2 { margin: 0; font-size: 1.25rem; }
.state { margin: 0; font-weight: 600; display: flex; align-items: center; gap: .4rem; }
.dot { width: .8rem; height: .8rem; flex: none; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
.incident { border-left: 4px solid var(--line); padding: .25rem 0 .25rem .75rem; margin: .5rem 0; }
.incident h4 { margin: 0; font-size: 1rem; }
.incident.i-minor { border-color: var(--minor); } .incident.i-major { border-color: var(--major); }
.incident.i-critical { border-color: var(--critical); } .incident.i-none { border-color: var(--none); }
.meta { margin: .1rem 0; color: var(--muted); font-size: .875rem; }
.updates { margin: .25rem 0; padding: 0; list-style: none; }
.updates li { margin: .2rem 0; overflow-wrap: anywhere; }
.sources { margin: 0; padding-left: 1.1rem; font-size: .875rem; }
.bars { list-style: none; display: flex; gap: 2px; margin: 0; padding: 0; height: 2.25rem; }
.day { position: relative; flex: 1 1 0; min-width: 0; }
.bar { display: block; height: 100%; border-radius: 2px; }
.bar svg { display: block; width: 100%; height: 100%; }
.l-ok { fill: var(--ok); } .l-none { fill: var(--none); } .l-minor { fill: var(--minor); }
.l-major { fill: var(--major); } .l-critical { fill: var(--critical); } .l-nodata { fill: var(--nodata); }
.tip { display: none; position: absolute; bottom: calc(100% + .4rem); left: 0; z-index: 2;
  width: max-content; max-width: min(18rem, 80vw); background: var(--tip); color: var(--tip-text);
  padding: .5rem .6rem; border-radius: .375rem; font-size: .8125rem; line-height: 1.35; }
.day.late .tip { left: auto; right: 0; }
.tip ul { margin: .25rem 0 0; padding-left: 1rem; }
.day:hover .tip, .day:focus-within .tip { display: block; }
.scale { display: flex; justify-content: space-between; margin: .25rem 0 0; font-size: .8125rem;
  color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: .5rem 0 0; padding: 0;
  list-style: none; font-size: .8125rem; color: var(--muted); }
.legend svg { width: .7rem; height: .7rem; vertical-align: -.05rem; margin-right: .25rem; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.n30 { display: none; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  header, main, footer { padding: .75rem; }
  .day.older { display: none; }
  .n90 { display: none; } .n30 { display: inline; }
}
`;
