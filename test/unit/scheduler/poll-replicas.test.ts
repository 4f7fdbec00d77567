import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Service } from '../../../src/incidents/model.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { pollService } from '../../../src/scheduler/poll-service.js';
import type { PollOutcome } from '../../../src/scheduler/scheduler.js';
import { createSource } from '../../../src/sources/registry.js';
import type { Source } from '../../../src/sources/source.js';
import type { LeaseFence, Store } from '../../../src/store/store.js';
import { type StatusServer, startStatusServer } from '../../fakes/status-server.js';
import { catalogService } from '../../helpers/services.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';
import { sourceDeps, TEST_LIMITS } from '../sources/helpers.js';

/**
 * Two replicas (two store instances on one backend, each with its own source) polling one real
 * fake status page. A component outage's thread id contains the poll's fetchedAt, so a second
 * committed poll of the same outage would open a second thread.
 */

// Long enough that a starved event loop on a loaded machine still renews a healthy poll's lease.
const LEASE_MS = 1_000;
const channels: ChannelRef[] = ['C1', 'C2'].map((channelId) => ({
  platform: 'slack',
  workspaceId: 'T1',
  channelId,
}));

/**
 * `store` as seen by a replica whose connection stalls mid-poll: its lease renewals fail, and the
 * poll's first read after reconciling (the subscriptions) waits for `resume()`.
 */
function stalled(store: Store) {
  let acquired = false;
  let resume: () => void = () => {};
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const state = { reached: false, resume: () => resume() };
  const view = new Proxy(store, {
    get: (target, key) => {
      if (key === 'beginPoll') {
        return async (fence: LeaseFence, ttlMs: number, stateKey: string) => {
          if (acquired) throw new Error('connection reset');
          acquired = true;
          return target.beginPoll(fence, ttlMs, stateKey);
        };
      }
      if (key === 'tryLease') {
        return async () => {
          throw new Error('connection reset');
        };
      }
      if (key === 'listSubscriptionsForService') {
        return async (serviceId: string) => {
          state.reached = true;
          await resumed;
          return target.listSubscriptionsForService(serviceId);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return Object.assign(state, { store: view });
}

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

describe.each(['embedded', 'redis'] as const)('two replicas polling one service (%s)', (kind) => {
  const { t } = storePerTest(kind);
  let page: StatusServer;
  let service: Service;

  beforeEach(async () => {
    page = await startStatusServer({ name: 'Acme' });
    page.setComponent('API', 'operational');
    service = catalogService('acme', 'Acme', { url: page.url });
    for (const channel of channels) {
      await t.store.putSubscription(subscription({ serviceId: 'acme', channel }));
    }
  });
  afterEach(() => page.close());

  function replica(store: Store, source?: Source, logger = pino({ level: 'silent' })) {
    const own =
      source ??
      createSource(
        service,
        { kind: 'statuspage', url: page.url },
        // A fetch timeout well past the slow answer the first test gives.
        sourceDeps({ now: () => new Date(), limits: { ...TEST_LIMITS, timeoutMs: 20_000 } }),
      );
    return () =>
      pollService(service, new AbortController().signal, {
        store,
        sourceFor: () => own,
        logger,
        now: () => new Date(),
        owner: 'replica',
        leaseMs: LEASE_MS,
        onEnqueued: () => {},
      });
  }

  /** Every delivery the outbox hands out, as "channel thread type", draining it. */
  async function drain(): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const batch = await t.store.claimDeliveries({
        owner: 'reader',
        now: new Date(Date.now() + 60_000),
        limit: 50,
        leaseMs: 60_000,
      });
      if (batch.length === 0) return out.sort();
      for (const d of batch) {
        out.push(`${d.channel.channelId} ${d.event.threadKey} ${d.event.type}`);
        await t.store.completeDelivery(d, 'reader');
      }
    }
  }

  it('a poll slower than its lease keeps it: the other replica polls only after, one thread per channel', async () => {
    expect(await replica(t.store)()).toBe('ok');
    page.setComponent('API', 'major_outage');
    page.fail('summary', 'delay', { delayMs: LEASE_MS * 3, times: 1 });
    let firstDone = false;
    const first = replica(t.store)().finally(() => {
      firstDone = true;
    });
    await page.waitForRequests('summary', 2);
    const second = replica(t.open());
    const outcomes: PollOutcome[] = [];
    // The second replica keeps trying, as its scheduler would, until the slow poll is over.
    await vi.waitFor(
      async () => {
        outcomes.push(await second());
        expect(firstDone).toBe(true);
      },
      { timeout: 10_000, interval: 50 },
    );
    const deliveries = await drain();
    const [thread] = deliveries.map((d) => d.split(' ')[1]);
    expect(deliveries).toEqual([`C1 ${thread} started`, `C2 ${thread} started`]);
    expect(await first).toBe('ok');
    expect(outcomes.slice(0, -1).every((o) => o === 'skipped')).toBe(true);
  });

  it("a poll whose lease ran out mid-poll cannot commit: the new holder's result stands, once", async () => {
    expect(await replica(t.store)()).toBe('ok');
    page.setComponent('API', 'major_outage');
    const { logger, lines } = capturedLogger();
    const slow = stalled(t.open());
    const late = replica(slow.store, undefined, logger)();
    await vi.waitFor(() => expect(slow.reached).toBe(true), { timeout: 15_000 });
    const takeover = replica(t.open());
    // The stalled replica read the state and cannot renew: its lease lapses, the other takes over.
    await vi.waitFor(async () => expect(await takeover()).toBe('ok'), {
      timeout: 10_000,
      interval: 50,
    });
    const taken = await t.store.getState('acme');
    slow.resume();
    const outcome = await late;
    const deliveries = await drain();
    const [thread] = deliveries.map((d) => d.split(' ')[1]);
    expect(deliveries).toEqual([`C1 ${thread} started`, `C2 ${thread} started`]);
    expect(await t.store.getState('acme')).toEqual(taken);
    expect(outcome).toBe('lease_lost');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: "poll lease lost before the commit; this poll's result is dropped, the new holder's stands",
      }),
    );
  });
});
