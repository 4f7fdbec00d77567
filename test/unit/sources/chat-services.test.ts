import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { pollService } from '../../../src/scheduler/poll-service.js';
import { servicesToPoll } from '../../../src/scheduler/poll-targets.js';
import { buildCatalog } from '../../../src/sources/build-catalog.js';
import type { Catalog } from '../../../src/sources/catalog.js';
import { createChatServiceSync } from '../../../src/sources/chat-services.js';
import { createSource } from '../../../src/sources/registry.js';
import { resolveStatusPageUrl } from '../../../src/sources/url-services.js';
import type { Store } from '../../../src/store/store.js';
import { type StatusServer, startStatusServer } from '../../fakes/status-server.js';
import { createTestStore, type StoreKind, type TestStore } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';
import { fakeLookup, sourceDeps } from './helpers.js';

const GRACE_MS = 300;
const channel: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const logger = pino({ level: 'silent' });
const deps = sourceDeps({
  now: () => new Date(),
  allowPrivateUrls: true,
  lookup: fakeLookup({ '127.0.0.1': ['127.0.0.1'] }),
  untrustedFetch: globalThis.fetch,
});

/** One replica: its own store instance and catalog, built at its start-up. */
async function startReplica(store: Store) {
  const catalog: Catalog = await buildCatalog({ store, readFile: async () => '' });
  const chatServices = createChatServiceSync(catalog, store);
  return {
    store,
    catalog,
    chatServices,
    addByUrl: (url: string) =>
      resolveStatusPageUrl(url, {
        catalog,
        store,
        chatServices,
        sourceDeps: deps,
        lookup: deps.lookup ?? fakeLookup({}),
        allowPrivate: true,
      }),
    targets: () => servicesToPoll({ store, catalog, chatServices, logger }),
  };
}

describe.each<StoreKind>(['embedded', 'redis'])('status pages added from chat (%s)', (kind) => {
  let test: TestStore;
  let page: StatusServer;

  beforeEach(async () => {
    test = await createTestStore(kind, { chatServiceGraceMs: GRACE_MS });
    page = await startStatusServer({ name: 'Acme' });
    page.setIncident({ name: 'API errors', impact: 'major', body: 'Looking into it' });
  });
  afterEach(async () => {
    await page.close();
    await test.cleanup();
  });

  it('a page added on replica 1 is polled by replica 2 without a restart, then retired', async () => {
    const one = await startReplica(test.store);
    const two = await startReplica(test.open());
    const added = await one.addByUrl(page.url);
    if (!added.ok) throw new Error(added.reason);
    await one.store.putSubscription(subscription({ serviceId: added.serviceId, channel }));

    const targets = await two.targets();
    expect(targets.map((s) => s.id)).toEqual([added.serviceId]);
    const [target] = targets;
    if (!target?.sources[0]) throw new Error('expected the page as a poll target');
    const source = createSource(target, target.sources[0], deps);
    const outcome = await pollService(target, new AbortController().signal, {
      store: two.store,
      sourceFor: () => source,
      logger,
      now: () => new Date(),
      owner: 'replica-2',
      leaseMs: 10_000,
      onEnqueued: () => {},
    });
    expect(outcome).toBe('ok');
    const claimed = await two.store.claimDeliveries({
      owner: 'reader',
      now: new Date(Date.now() + 60_000),
      limit: 10,
      leaseMs: 1_000,
    });
    expect(claimed.map((d) => [d.channel.channelId, d.event.type, d.event.subject.title])).toEqual([
      ['C1', 'started', 'API errors'],
    ]);
    // Adding the same page on replica 2 finds the existing entry instead of a second one.
    expect(await two.addByUrl(`${page.url}/api/v2/summary.json`)).toEqual(added);

    await one.store.removeSubscription(added.serviceId, channel);
    expect(two.catalog.get(added.serviceId)).toBeDefined();
    await vi.waitFor(
      async () => {
        await two.targets();
        expect(two.catalog.get(added.serviceId)).toBeUndefined();
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(await one.store.listChatServices()).toEqual([]);
  });
});
