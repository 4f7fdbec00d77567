import { describe, expect, it } from 'vitest';
import { barsStartMs } from '../../../src/board/day-bars.js';
import { figureLines, historyFigures } from '../../../src/pictures/history-figures.js';
import { HISTORY, NOW, past } from './history-fixture.js';

const HOUR = 3_600_000;

describe('history figures', () => {
  it('counts the window incidents by impact, overlaps once in downtime, MTTR of resolved ones', () => {
    const figures = historyFigures(HISTORY, barsStartMs(NOW, 90), NOW);
    expect(figures).toEqual({
      byImpact: { critical: 1, major: 1, minor: 1, none: 1 },
      total: 4,
      open: 1,
      // 1 Dec 10:00-14:00, 6 Sep 00:00-02:00 (the part inside), and the last hour.
      downtimeMs: 7 * HOUR,
      // edge 4h, a 2h, b 3h: the whole length of each, also before the window.
      mttrMs: 3 * HOUR,
    });
    expect(figureLines(figures)).toEqual([
      'Incidents: 4 (1 critical, 1 major, 1 minor, 1 no impact stated), 1 still open',
      'Total downtime: 7h',
      'Mean time to resolve: 3h',
    ]);
  });

  it('narrows to the days asked for', () => {
    const figures = historyFigures(HISTORY, barsStartMs(NOW, 7), NOW);
    expect(figures.total).toBe(3);
    expect(figureLines(figures)).toEqual([
      'Incidents: 3 (1 major, 1 minor, 1 no impact stated), 1 still open',
      'Total downtime: 5h',
      'Mean time to resolve: 2h 30m',
    ]);
  });

  it('says so when nothing resolved, and when nothing happened', () => {
    const onlyOpen = historyFigures([past('x', 'major', '2026-12-04T09:30:00Z')], 0, NOW);
    expect(figureLines(onlyOpen)).toEqual([
      'Incidents: 1 (1 major), 1 still open',
      'Total downtime: 2h 30m',
      'Mean time to resolve: none resolved yet',
    ]);
    expect(figureLines(historyFigures([], 0, NOW))).toEqual([
      'Incidents: none',
      'Total downtime: 0s',
    ]);
  });
});
