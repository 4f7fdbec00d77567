import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HISTORY_WARN_EVERY, StatuspageSource } from '../../../src/sources/statuspage.js';
import { fakePagePerTest, service, sourceDeps } from './helpers.js';

const acme = fakePagePerTest();

interface Line {
  level: number;
  msg: string;
  failedPolls?: number;
}

/** A source whose log lines (debug and up) are collected, parsed, in order. */
const loggedSource = (url: string) => {
  const lines: Line[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Line) },
  );
  const source = new StatuspageSource(
    service(url),
    { kind: 'statuspage', url },
    sourceDeps({ logger }),
  );
  return { source, lines };
};

const WARN = 40;
const historyLines = (lines: Line[]) => lines.filter((l) => l.msg.startsWith('incidents.json'));

describe('StatuspageSource: incidents.json failing while the summary works', () => {
  it('warns on the first failure and every 10th in a row, debug in between', async () => {
    const { source, lines } = loggedSource(acme.page.url);
    acme.page.setIncident({ name: 'Open', body: 'x' });
    await source.poll();
    expect(historyLines(lines)).toEqual([]);

    acme.page.fail('incidents', 'error500');
    const polls = 2 * HISTORY_WARN_EVERY;
    for (let n = 0; n < polls; n += 1) {
      const result = await source.poll();
      expect(result).toMatchObject({ ok: true, snapshot: { resolutionsKnown: false } });
    }
    const failing = historyLines(lines);
    expect(failing).toHaveLength(polls);
    const warned = failing.filter((l) => l.level === WARN).map((l) => l.failedPolls);
    expect(warned).toEqual([1, HISTORY_WARN_EVERY, 2 * HISTORY_WARN_EVERY]);
    expect(failing.every((l) => l.level >= 20 && l.level <= WARN)).toBe(true);

    // Readable again: one info line, and the next failure is "the first" once more.
    acme.page.fail('incidents', null);
    await source.poll();
    expect(historyLines(lines).at(-1)).toMatchObject({
      level: 30,
      msg: 'incidents.json readable again',
      failedPolls: polls,
    });
    acme.page.fail('incidents', 'html');
    await source.poll();
    expect(historyLines(lines).at(-1)).toMatchObject({ level: WARN, failedPolls: 1 });
  });

  it('a failing summary logs nothing about incidents.json and keeps the count', async () => {
    const { source, lines } = loggedSource(acme.page.url);
    acme.page.fail('incidents', 'error500');
    await source.poll();
    acme.page.fail('summary', 'error500', { times: 1 });
    expect(await source.poll()).toMatchObject({ ok: false });
    await source.poll();
    const warned = historyLines(lines).map((l) => [l.level, l.failedPolls]);
    expect(warned).toEqual([
      [WARN, 1],
      [20, 2],
    ]);
  });
});
