import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectivity } from '../../../src/sources/connectivity.js';
import { type ProbeTarget, startProbeTarget } from '../../fakes/probe-target.js';
import { type StoreKind, storePerTest } from '../../helpers/stores.js';
import { MIN, ReportsPipeline } from './reports-pipeline.js';

/**
 * Issue 11, Done-when 5, for reports: while the bot's own network is down (its probes' control
 * targets fail: here a real local server that refuses connections), reports open no incident;
 * once the control target answers again, the same reports do.
 */
describe.each<StoreKind>(['embedded', 'redis'])('reports while the bot is offline (%s)', (kind) => {
  const { store } = storePerTest(kind);
  let control: ProbeTarget | undefined;
  afterEach(async () => control?.close());

  it('opens nothing while the control targets fail, and opens once they answer', async () => {
    control = await startProbeTarget();
    let pipeline: ReportsPipeline | undefined;
    const connectivity = createConnectivity({
      controlUrls: [control.url.replace('localhost', '127.0.0.1')],
      fetch: globalThis.fetch,
      now: () => new Date(pipeline?.clock ?? 0),
      logger: pino({ level: 'silent' }),
      timeoutMs: 2_000,
    });
    pipeline = new ReportsPipeline(store, 'instagram', { connectivity });
    expect(await pipeline.poll()).toEqual([]);

    await control.refuse();
    for (const user of ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7']) {
      pipeline.clock += 10_000;
      await pipeline.report(user);
    }
    for (let i = 0; i < 3; i++) {
      pipeline.clock += MIN;
      expect(await pipeline.poll()).toEqual([]);
    }
    expect(connectivity.offlineSince).toBeDefined();
    expect(pipeline.state?.health.consecutiveFailures).toBe(3);
    expect(pipeline.state?.health.lastError).toBe(
      'offline: 7 reports of instagram not counted while the control targets fail',
    );
    expect(Object.keys(pipeline.state?.subjects ?? {})).toEqual([]);

    await control.restore();
    pipeline.clock += MIN;
    const events = await pipeline.poll();
    expect(events.map((e) => `${e.type}: ${e.update?.body}`)).toEqual([
      'started: 7 people reported problems with INSTAGRAM in the last 10 min.',
    ]);
    expect(connectivity.offlineSince).toBeUndefined();
  }, 60_000);
});
