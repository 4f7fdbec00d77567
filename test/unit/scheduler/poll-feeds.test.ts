import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { PollResult, ProbeResult, Service } from '../../../src/incidents/model.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { pollService } from '../../../src/scheduler/poll-service.js';
import { feedsOf } from '../../../src/sources/feeds.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';
import { at, incident, SERVICE, snapshot } from '../incidents/factories.js';

const service: Service = {
  id: SERVICE,
  name: 'Acme',
  aliases: [],
  sources: [
    { kind: 'statuspage', url: 'https://status.acme.test' },
    { kind: 'probe', url: 'https://www.acme.test/' },
  ],
  trusted: true,
};
const channel: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };

const probeSnapshot = (result: ProbeResult): PollResult => ({
  ok: true,
  snapshot: {
    serviceId: SERVICE,
    fetchedAt: result.at,
    incidents: [],
    maintenances: [],
    components: [],
    resolutionsKnown: false,
    probe: { url: 'https://www.acme.test/', result },
  },
});

describe.each(['embedded', 'redis'] as const)(
  'each source of a service on the %s store',
  (kind) => {
    const { t } = storePerTest(kind);

    it('is reconciled on its own, its incident merged into the page incident: neither closes the other', async () => {
      await t.store.putSubscription(subscription({ serviceId: SERVICE, channel }));
      const [page, probe] = feedsOf(service);
      if (!page || !probe) throw new Error('two feeds');
      const poll = (feed: typeof page, result: PollResult, minute: number) =>
        pollService(
          service,
          new AbortController().signal,
          {
            store: t.store,
            sourceFor: (_s, f) => ({
              service,
              config: f.config,
              poll: async () => result,
            }),
            logger: pino({ level: 'silent' }),
            now: () => new Date(at(minute)),
            owner: 'test',
            leaseMs: 10_000,
            onEnqueued: () => {},
          },
          feed,
        );
      const down = (minute: number): ProbeResult => ({
        ok: false,
        at: at(minute),
        stage: 'connect',
        detail: 'connection refused',
      });
      await poll(page, { ok: true, snapshot: snapshot(0) }, 0);
      await poll(probe, probeSnapshot({ ok: true, at: at(0), status: 200 }), 0);
      await poll(
        page,
        {
          ok: true,
          snapshot: snapshot(1, { incidents: [incident('i1')], resolutionsKnown: false }),
        },
        1,
      );
      for (const minute of [2, 3, 4]) await poll(probe, probeSnapshot(down(minute)), minute);
      // The page keeps listing its incident; the probe's empty incident list resolves nothing.
      await poll(
        page,
        {
          ok: true,
          snapshot: snapshot(5, { incidents: [incident('i1')], resolutionsKnown: false }),
        },
        5,
      );
      for (const minute of [6, 7, 8]) await poll(probe, probeSnapshot(down(minute)), minute);

      expect(Object.keys((await t.store.getState(SERVICE))?.subjects ?? {})).toEqual(['i1']);
      const probeState = await t.store.getState(probe.key);
      expect(probe.key).toBe(`${SERVICE}#1:probe`);
      expect(probeState?.feedKey).toBe(probe.key);
      expect(Object.values(probeState?.subjects ?? {}).map((s) => s.subject.title)).toEqual([
        'www.acme.test: connection refused',
      ]);
      // Both feeds' incidents are one incident of the service (merge-signals.ts): the probe's
      // failure is a reply in the page incident's thread, not a thread of its own.
      const claim = () =>
        t.store.claimDeliveries({
          owner: 'r',
          now: new Date(at(1_000)),
          limit: 10,
          leaseMs: 1_000,
        });
      const first = await claim();
      expect(first.map((d) => `${d.event.type} ${d.event.threadKey}`)).toEqual([
        `started ${SERVICE}:i1`,
      ]);
      for (const d of first) await t.store.completeDelivery(d, 'r');
      const second = await claim();
      expect(
        second.map((d) => `${d.event.type} ${d.event.threadKey} ${d.event.update?.body}`),
      ).toEqual([
        `updated ${SERVICE}:i1 Probe: connection refused for www.acme.test since 12:02 UTC (3 failed checks in a row).`,
      ]);
    });
  },
);
