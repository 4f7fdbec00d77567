import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/incidents/model.js';
import { backoffDelay } from '../../../src/scheduler/backoff.js';
import { ConcurrencyLimiter } from '../../../src/scheduler/limiter.js';
import {
  jitterFor,
  type PollOutcome,
  PollScheduler,
  type SchedulerOptions,
} from '../../../src/scheduler/scheduler.js';
import type { Timers } from '../../../src/scheduler/timers.js';
import { catalogService } from '../../helpers/services.js';
import { createTestStore } from '../../helpers/stores.js';

const logger = pino({ level: 'silent' });

const service = (id: string): Service => catalogService(id, id, { url: `https://${id}.example` });

function scheduler(
  pollOne: (s: Service, signal: AbortSignal) => Promise<PollOutcome>,
  overrides: Partial<SchedulerOptions<Service>> = {},
) {
  let clock = 0;
  const s = new PollScheduler<Service>({
    schedule: '* * * * *',
    services: async () => [],
    pollOne,
    logger,
    now: () => clock,
    concurrency: 2,
    timeoutMs: 200,
    jitterMs: 0,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
    random: () => 1,
    ...overrides,
  });
  return { s, advance: (ms: number) => (clock += ms) };
}

const waitFor = async (check: () => boolean, ms = 2_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('PollScheduler', () => {
  it('with replicas claiming cycles on one store, polls each target once per cycle', async () => {
    const t = await createTestStore('embedded');
    try {
      const polls: string[] = [];
      const targets = [service('a'), service('b'), service('c')];
      const replicas = ['r1', 'r2', 'r3'].map((owner) => {
        const replica = t.open();
        return scheduler(
          async (svc) => {
            polls.push(`${svc.id}@${owner}`);
            return 'ok';
          },
          {
            services: async () => targets,
            claimCycle: (target, cycle) =>
              replica.tryLease(`poll-cycle:${target.id}:${cycle.at}`, owner, cycle.ttlMs),
          },
        ).s;
      });
      for (const at of [60_000, 120_000]) {
        await Promise.all(replicas.map((r) => r.tick({ at, ttlMs: 120_000 })));
        await waitFor(() => polls.length === targets.length * (at / 60_000));
      }
      await new Promise((r) => setTimeout(r, 30));
      expect(polls.map((p) => p.split('@')[0]).sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
      // The start-up round claims nothing: each replica polls what it serves once.
      await replicas[0]?.tick();
      await waitFor(() => polls.length === 9);
    } finally {
      await t.cleanup();
    }
  });

  it('a hanging source holds one slot until its timeout and never delays the others', async () => {
    const finished: string[] = [];
    const { s } = scheduler(async (svc, signal) => {
      if (svc.id === 'hangs') {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        return 'failed';
      }
      await new Promise((r) => setTimeout(r, 10));
      finished.push(svc.id);
      return 'ok';
    });
    const hang = s.pollNow(service('hangs'));
    const others = await Promise.all(['a', 'b', 'c', 'd'].map((id) => s.pollNow(service(id))));
    expect(others).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(finished).toEqual(['a', 'b', 'c', 'd']);
    expect(await hang).toBe('failed');
  });

  it('abandons a source that ignores its abort signal, and still never polls it twice at once', async () => {
    let release: () => void = () => {};
    let calls = 0;
    const { s } = scheduler(async () => {
      calls++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return 'ok';
    });
    expect(await s.pollNow(service('stuck'))).toBe('failed');
    expect(await s.pollNow(service('stuck'))).toBe('skipped');
    release();
    await waitFor(() => calls === 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(1);
  });

  it('backs a failing source off exponentially and recovers by itself', async () => {
    let answer: PollOutcome = 'failed';
    const polled: number[] = [];
    const { s, advance } = scheduler(
      async () => {
        polled.push(1);
        return answer;
      },
      { services: async () => [service('flaky')] },
    );
    const tickAndSettle = async () => {
      const before = polled.length;
      await s.tick();
      await new Promise((r) => setTimeout(r, 20));
      return polled.length - before;
    };
    expect(await tickAndSettle()).toBe(1); // fails: next allowed after 1 s
    expect(await tickAndSettle()).toBe(0);
    advance(1_000);
    expect(await tickAndSettle()).toBe(1); // fails again: 2 s
    advance(1_500);
    expect(await tickAndSettle()).toBe(0);
    advance(500);
    answer = 'ok';
    expect(await tickAndSettle()).toBe(1); // recovers
    expect(await tickAndSettle()).toBe(1); // and is polled every tick again
  });
});

describe('PollScheduler.stop', () => {
  it('waits for a running poll to finish, and starts no queued one', async () => {
    const started: string[] = [];
    const finished: string[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { s } = scheduler(
      async (svc) => {
        started.push(svc.id);
        await gate;
        finished.push(svc.id);
        return 'ok';
      },
      { concurrency: 1 },
    );
    const first = s.pollNow(service('running'));
    const queued = s.pollNow(service('queued'));
    // The limiter starts a task on a later microtask: stop once the first poll really runs.
    await waitFor(() => started.length === 1);
    const stopping = s.stop();
    release();
    await stopping;
    expect(started).toEqual(['running']);
    expect(finished).toEqual(['running']);
    expect(await first).toBe('ok');
    expect(await queued).toBe('skipped');
  });

  it('gives up waiting after its grace period', async () => {
    let started = false;
    const { s } = scheduler(
      () => {
        started = true;
        return new Promise<PollOutcome>(() => {});
      },
      { timeoutMs: 60_000 },
    );
    let settled = false;
    void s.pollNow(service('stuck')).then(() => {
      settled = true;
    });
    await waitFor(() => started);
    await s.stop(100);
    expect(settled).toBe(false);
  });
});

describe('PollScheduler with its store away', () => {
  it('reads its targets once at a time: ticks firing while a listing waits are skipped', async () => {
    let fire: (at: number) => void = () => {};
    const timers: Timers = {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      cron: (_schedule, onTick) => {
        fire = (at) => onTick({ at, next: at + 1_000 });
        return { stop() {} };
      },
    };
    const listings: ((targets: Service[]) => void)[] = [];
    const polled: string[] = [];
    const { s } = scheduler(
      async (svc) => {
        polled.push(svc.id);
        return 'ok';
      },
      { timers, services: () => new Promise((resolve) => listings.push(resolve)) },
    );
    s.start();
    // The start-up listing hangs, as store commands do while Redis is away.
    for (let i = 1; i <= 5; i++) fire(i * 1_000);
    expect(listings).toHaveLength(1);
    listings[0]?.([service('a')]);
    await waitFor(() => polled.length === 1);
    fire(6_000);
    expect(listings).toHaveLength(2);
    listings[1]?.([]);
    await s.stop();
  });
});

describe('jitter, backoff and the limiter', () => {
  it('spreads services over the jitter window, stably', () => {
    const offsets = Array.from({ length: 1000 }, (_, i) => jitterFor(`service-${i}`, 10_000));
    expect(jitterFor('service-1', 10_000)).toBe(offsets[1]);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(10_000);
    const buckets = new Array(10).fill(0);
    for (const o of offsets) buckets[Math.floor(o / 1_000)]++;
    for (const b of buckets) expect(b).toBeGreaterThan(50);
  });

  it('doubles the backoff up to its cap', () => {
    const policy = { baseMs: 1_000, maxMs: 8_000 };
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, policy, () => 1))).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(2_000);
  });

  it('runs at most `limit` tasks at once', async () => {
    const limiter = new ConcurrencyLimiter(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(limiter.active).toBe(0);
  });
});
