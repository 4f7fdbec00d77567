import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { PollResult, ProbeResult, Service } from '../../../src/incidents/model.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { pollService } from '../../../src/scheduler/poll-service.js';
import { type Feed, feedsOf } from '../../../src/sources/feeds.js';
import type { Store } from '../../../src/store/store.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';
import { at, SERVICE } from '../incidents/factories.js';

/** Two feeds of one service polled at once by two replicas: one merged thread, nothing twice. */

const service: Service = {
  id: SERVICE,
  name: 'Acme',
  aliases: [],
  sources: [
    { kind: 'probe', url: 'https://www.acme.test/' },
    { kind: 'probe', url: 'https://api.acme.test/' },
  ],
  trusted: true,
};
const channel: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };

const probed = (url: string, result: ProbeResult): PollResult => ({
  ok: true,
  snapshot: {
    serviceId: SERVICE,
    fetchedAt: result.at,
    incidents: [],
    maintenances: [],
    components: [],
    resolutionsKnown: false,
    probe: { url, result },
  },
});

const up = (minute: number): ProbeResult => ({ ok: true, at: at(minute), status: 200 });
const down = (minute: number): ProbeResult => ({
  ok: false,
  at: at(minute),
  stage: 'connect',
  detail: 'connection refused',
});

describe.each(['embedded', 'redis'] as const)('signals of two feeds on the %s store', (kind) => {
  const { t } = storePerTest(kind);

  const poll = (store: Store, feed: Feed, result: ProbeResult) =>
    pollService(
      service,
      new AbortController().signal,
      {
        store,
        sourceFor: (_s, f) => ({
          service,
          config: f.config,
          poll: async () => probed(f.config.url, result),
        }),
        logger: pino({ level: 'silent' }),
        now: () => new Date(result.at),
        owner: 'test',
        leaseMs: 10_000,
        onEnqueued: () => {},
        policy: { probeFailuresToOpen: 2 },
      },
      feed,
    );

  it('a replica that read the signals before the other committed merges again, into the same thread', async () => {
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel }));
    const [web, api] = feedsOf(service);
    if (!web || !api) throw new Error('two feeds');
    for (const feed of [web, api]) await poll(t.store, feed, up(0));
    await poll(t.store, web, down(1));
    await poll(t.store, api, down(1));

    // The API feed's replica reads the signals now, before the web feed's poll commits its start.
    const stale = await t.store.getSignals(SERVICE);
    let first = true;
    const replica: Store = new Proxy(t.store, {
      get(target, name, receiver) {
        if (name !== 'getSignals') return Reflect.get(target, name, receiver);
        return async (id: string) => {
          if (!first) return target.getSignals(id);
          first = false;
          return stale;
        };
      },
    });
    expect(await poll(t.store, web, down(2))).toBe('ok');
    expect(await poll(replica, api, down(2))).toBe('ok');

    const sent: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      const batch = await t.store.claimDeliveries({
        owner: 'r',
        now: new Date(at(100)),
        limit: 10,
        leaseMs: 1_000,
      });
      for (const d of batch) {
        sent.push(`${d.event.type} ${d.event.threadKey} ${d.event.subject.confidence}`);
        await t.store.completeDelivery(d, 'r');
      }
    }
    const key = `${SERVICE}:probe:www.acme.test:${Date.parse(at(1))}`;
    expect(sent).toEqual([`started ${key} suspected`, `confirmed ${key} confirmed`]);
    expect((await t.store.getSignals(SERVICE))?.state.groups).toHaveLength(1);

    // Polled again with nothing new, neither feed says anything twice.
    await poll(t.store, web, down(3));
    await poll(t.store, api, down(3));
    expect(await t.store.pendingDeliveries()).toBe(0);
  });
});
