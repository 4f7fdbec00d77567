import { describe, expect, it } from 'vitest';
import { type StoreKind, storePerTest } from '../../helpers/stores.js';
import { background, MIN, MONDAY, ReportsPipeline, WEEK } from './reports-pipeline.js';

/**
 * Issue 11, Done-when 1: a simulated week of background reports (injected clock, real store,
 * the real reports feed and reconcile), then a burst. The background opens nothing, the burst
 * opens one incident, and one person's repeated reports count once.
 */
describe.each<StoreKind>(['embedded', 'redis'])('reports over a simulated week (%s)', (kind) => {
  const { store } = storePerTest(kind);

  it('a week of background opens nothing; a burst opens one incident; a repeat counts once', async () => {
    const pipeline = new ReportsPipeline(store, 'smallsvc');
    // Two people per 10 minutes in the day, one every other slot at night: at most 4 within any
    // 10-minute window, under the default threshold of 5.
    const day = (hour: number) => (hour >= 8 && hour < 22 ? 2 : hour % 2);
    const week = background(MONDAY, WEEK, day, 11);
    expect(week.length).toBeGreaterThan(1_500);
    await pipeline.run(week, MONDAY + WEEK);
    expect(pipeline.events).toEqual([]);
    expect(pipeline.state?.baselined).toBe(true);

    // Monday 02:00 of the next week, an hour nobody usually reports: one person reports ten
    // times, three others once.
    const burstAt = MONDAY + WEEK + 2 * 60 * MIN;
    pipeline.clock = burstAt;
    for (let i = 0; i < 10; i++) await pipeline.report('ANGRY', burstAt + i * 20_000);
    for (const user of ['B1', 'B2', 'B3']) await pipeline.report(user, burstAt + 4 * MIN);
    pipeline.clock = burstAt + 5 * MIN;
    expect(await pipeline.poll()).toEqual([]);

    // A fifth person makes five: "users report problems", said once.
    await pipeline.report('B4', burstAt + 6 * MIN);
    pipeline.clock = burstAt + 6 * MIN;
    const [started, ...rest] = await pipeline.poll();
    expect(rest).toEqual([]);
    expect(started?.type).toBe('started');
    expect(started?.subject.title).toBe('Users report problems');
    expect(started?.update?.body).toBe(
      '5 people reported problems with SMALLSVC in the last 10 min (usually fewer than 1 at this hour).',
    );
    pipeline.clock += MIN;
    expect(await pipeline.poll()).toEqual([]);
    expect(pipeline.starts()).toHaveLength(1);
  }, 120_000);

  it('a busy service learns its level: after the first week its usual noise opens nothing, a real burst does', async () => {
    const pipeline = new ReportsPipeline(store, 'bigsvc');
    // Four people every 10 minutes, day and night: up to 8 within a window, over the threshold
    // while the service has no history.
    const week1 = background(MONDAY, WEEK, () => 4, 21);
    await pipeline.run(week1, MONDAY + WEEK);
    const learning = pipeline.starts().length;
    expect(learning).toBeGreaterThan(0);

    const week2 = background(MONDAY + WEEK, WEEK, () => 4, 22);
    await pipeline.run(week2, MONDAY + 2 * WEEK);
    expect(pipeline.starts()).toHaveLength(learning);
    const open = Object.values(pipeline.state?.subjects ?? {}).filter((t) => !t.closedAt);
    expect(open).toEqual([]);

    // Thirty people within five minutes, on top of the usual noise.
    const burstAt = MONDAY + 2 * WEEK + 15 * 60 * MIN;
    const noise = background(burstAt - 30 * MIN, 40 * MIN, () => 4, 23);
    const burst = Array.from({ length: 30 }, (_, i) => ({
      user: `BURST${i}`,
      at: burstAt + i * 10_000,
    }));
    pipeline.clock = burstAt - 30 * MIN;
    await pipeline.run(
      [...noise, ...burst].sort((a, b) => a.at - b.at),
      burstAt + 10 * MIN,
      MIN,
    );
    const starts = pipeline.starts().slice(learning);
    expect(starts.map((e) => e.type)).toEqual(['started']);
    expect(starts[0]?.update?.body).toMatch(
      /^\d+ people reported problems with BIGSVC in the last 10 min \(usually about 4 at this hour\)\.$/,
    );
  }, 120_000);
});
