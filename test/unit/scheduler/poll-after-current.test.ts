import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/incidents/model.js';
import { reportTargets } from '../../../src/scheduler/poll-targets.js';
import { type PollOutcome, PollScheduler } from '../../../src/scheduler/scheduler.js';
import { catalogService } from '../../helpers/services.js';

const service = (id: string): Service => catalogService(id, id, { url: `https://${id}.example` });

const waitFor = async (check: () => boolean, ms = 2_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('PollScheduler.pollAfterCurrent (a user report asks for a poll)', () => {
  it('polls at once when idle; asked during a poll, polls once more right after it, however often asked', async () => {
    const started: number[] = [];
    let release: () => void = () => {};
    const s = new PollScheduler<Service>({
      schedule: '0 0 1 1 *',
      services: async () => [],
      pollOne: async (): Promise<PollOutcome> => {
        started.push(started.length + 1);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return 'ok';
      },
      logger: pino({ level: 'silent' }),
      now: () => 0,
      concurrency: 2,
      timeoutMs: 2_000,
      jitterMs: 0,
      backoff: { baseMs: 1_000, maxMs: 8_000 },
    });
    const feed = service('instagram');
    s.pollAfterCurrent(feed);
    await waitFor(() => started.length === 1);
    // Three reports while the first poll runs: it may have read the store before them.
    s.pollAfterCurrent(feed);
    s.pollAfterCurrent(feed);
    s.pollAfterCurrent(feed);
    release();
    await waitFor(() => started.length === 2);
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual([1, 2]);
    await s.stop();
  });
});

describe('reportTargets', () => {
  it('the reports feeds of polled services reported since the cut-off, keyed apart from their sources', async () => {
    const services = [service('github'), service('instagram'), service('slack')];
    const targets = await reportTargets(
      services,
      { reportedSince: async (since) => (since === 1_000 ? ['instagram', 'unpolled'] : []) },
      1_000,
    );
    expect(targets.map((t) => [t.id, t.feed.config])).toEqual([
      ['instagram#reports', { kind: 'reports', url: 'reports:instagram' }],
    ]);
  });
});
