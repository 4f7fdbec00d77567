import { type Day, type DayLevel, LEVEL_COLORS, LEVEL_TEXT } from '../board/day-bars.js';
import { text } from '../board/html.js';
import { dayText } from '../board/time-text.js';

/** What the history picture shows: a service's day bars and the figures beside them. */
export interface HistoryPicture {
  serviceName: string;
  days: readonly Day[];
  /** The lines of figureLines, drawn under the bars. */
  figures: readonly string[];
}

export const PICTURE_WIDTH = 900;
export const PICTURE_HEIGHT = 330;
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const BARS = { left: 40, right: 860, top: 76, height: 110 } as const;
const LEGEND: readonly DayLevel[] = ['ok', 'minor', 'major', 'critical', 'none', 'nodata'];

/** Where day `index` of `count` is drawn (tests read the pixels there). */
export function barBox(index: number, count: number) {
  const step = (BARS.right - BARS.left) / count;
  const gap = Math.min(3, step * 0.25);
  return { x: BARS.left + index * step, y: BARS.top, width: step - gap, height: BARS.height };
}

const label = (x: number, y: number, content: string, attrs = '') =>
  `<text x="${x}" y="${y}"${attrs}>${text(content)}</text>`;

/**
 * The picture as SVG: one bar per day coloured by its worst impact, the first and last dates
 * under them, a legend, and the figures. Every text is escaped: a service name may come from a
 * status page.
 */
export function historySvg(picture: HistoryPicture): string {
  const { days } = picture;
  const bars = days
    .map((day, index) => {
      const box = barBox(index, days.length);
      return `<rect x="${box.x.toFixed(2)}" y="${box.y}" width="${box.width.toFixed(2)}" height="${box.height}" rx="1.5" fill="${LEVEL_COLORS[day.level]}"/>`;
    })
    .join('');
  const axisY = BARS.top + BARS.height + 20;
  const first = days[0];
  const last = days[days.length - 1];
  const axis =
    first && last
      ? label(BARS.left, axisY, dayText(first.startMs)) +
        label(BARS.right, axisY, `${dayText(last.startMs)} (today)`, ' text-anchor="end"')
      : '';
  const legendY = axisY + 28;
  let x = BARS.left;
  const legend = LEGEND.map((level) => {
    const item = `<rect x="${x}" y="${legendY - 10}" width="11" height="11" rx="2" fill="${LEVEL_COLORS[level]}"/>${label(x + 16, legendY, LEVEL_TEXT[level])}`;
    x += 16 + LEVEL_TEXT[level].length * 6.6 + 20;
    return item;
  }).join('');
  const figures = picture.figures
    .map((line, i) => label(BARS.left, legendY + 34 + i * 22, line, ' font-size="15"'))
    .join('');
  const title = `${picture.serviceName}: incidents, last ${days.length} ${days.length === 1 ? 'day' : 'days'}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PICTURE_WIDTH}" height="${PICTURE_HEIGHT}" viewBox="0 0 ${PICTURE_WIDTH} ${PICTURE_HEIGHT}" font-family="${FONT}" font-size="12" fill="#1b1f24">
<rect width="100%" height="100%" fill="#ffffff"/>
${label(BARS.left, 38, title, ' font-size="20" font-weight="bold"')}
${label(BARS.left, 60, 'One bar per UTC day, coloured by the worst impact of the incidents open that day', ' fill="#555e68"')}
${bars}
${axis}
${legend}
${figures}
</svg>`;
}
