import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { barsStartMs, dayBars, LEVEL_COLORS } from '../../../src/board/day-bars.js';
import { figureLines, historyFigures } from '../../../src/pictures/history-figures.js';
import { historySvg, PICTURE_WIDTH } from '../../../src/pictures/history-svg.js';
import { renderPng } from '../../../src/pictures/render-png.js';
import { barColor } from '../../helpers/png-pixels.js';
import { HISTORY, NOW } from './history-fixture.js';

const render = (days: number) => {
  const bars = dayBars(HISTORY, NOW, Date.parse('2026-09-05T22:00:00Z'), days);
  const lines = figureLines(historyFigures(HISTORY, barsStartMs(NOW, days), NOW));
  return renderPng(historySvg({ serviceName: 'GitHub', days: bars, figures: lines }));
};

describe('the history picture', () => {
  it('draws one bar per day in the colour of its worst impact', () => {
    const png = render(90);
    expect(PNG.sync.read(Buffer.from(png)).width).toBe(PICTURE_WIDTH);
    expect(barColor(png, 0, 90)).toBe(LEVEL_COLORS.critical);
    expect(barColor(png, 1, 90)).toBe(LEVEL_COLORS.ok);
    // 1 Dec is the 87th day of 90: the major incident wins over the minor one.
    expect(barColor(png, 86, 90)).toBe(LEVEL_COLORS.major);
    expect(barColor(png, 89, 90)).toBe(LEVEL_COLORS.none);
  });

  it('spreads fewer days over the same width', () => {
    const png = render(7);
    expect(barColor(png, 3, 7)).toBe(LEVEL_COLORS.major);
    expect(barColor(png, 2, 7)).toBe(LEVEL_COLORS.ok);
    expect(barColor(png, 6, 7)).toBe(LEVEL_COLORS.none);
  });

  it('escapes a service name from a status page', () => {
    const svg = historySvg({ serviceName: '<script>&', days: [], figures: [] });
    expect(svg).toContain('&lt;script&gt;&amp;: incidents');
    expect(svg).not.toContain('<script>');
  });
});
