import type { Logger } from 'pino';
import type { Catalog } from './sources/catalog.js';
import type { Store } from './store/store.js';

/** The console adapter's one channel (stdout). */
export const CONSOLE_CHANNEL = {
  platform: 'console',
  workspaceId: '',
  channelId: 'stdout',
} as const;

export interface ConsoleFeedOptions {
  store: Store;
  catalog: Catalog;
  /** WATCH: service ids; empty means every catalog service. */
  watch: string[];
  now: () => Date;
  logger: Logger;
}

/**
 * With no chat platform, the console is the one channel: subscribe it to what WATCH names (or
 * everything), and drop console subscriptions WATCH no longer names, so a restart follows the
 * current setting. Returns the ids watched.
 */
export async function subscribeConsole(options: ConsoleFeedOptions): Promise<string[]> {
  const { store, catalog, logger } = options;
  const wanted = options.watch.length > 0 ? options.watch : catalog.all().map((s) => s.id);
  const known = wanted.filter((id) => {
    if (catalog.get(id)) return true;
    const { suggestions } = catalog.find(id);
    const hint = suggestions[0] ? ` (did you mean ${suggestions[0].id}?)` : '';
    logger.warn(`WATCH names unknown service "${id}"${hint}; ignored`);
    return false;
  });
  const existing = await store.listSubscriptionsForChannel(CONSOLE_CHANNEL);
  for (const sub of existing) {
    if (!known.includes(sub.serviceId))
      await store.removeSubscription(sub.serviceId, CONSOLE_CHANNEL);
  }
  const have = new Set(existing.map((s) => s.serviceId));
  for (const serviceId of known) {
    if (have.has(serviceId)) continue;
    await store.putSubscription({
      serviceId,
      channel: { ...CONSOLE_CHANNEL },
      filters: { minImpact: 'none', components: [] },
      mention: 'none',
      mentionMinImpact: 'critical',
      createdAt: options.now().toISOString(),
      createdBy: 'console',
    });
  }
  return known;
}

/**
 * With a chat platform configured the console is no channel at all: forget its subscriptions and
 * whatever was queued for it, so services nobody follows on chat are not polled.
 */
export async function retireConsole(store: Store, logger: Logger): Promise<void> {
  const subs = await store.listSubscriptionsForChannel(CONSOLE_CHANNEL);
  for (const sub of subs) await store.removeSubscription(sub.serviceId, CONSOLE_CHANNEL);
  const dropped = await store.dropDeliveriesForChannel(CONSOLE_CHANNEL);
  if (subs.length > 0 || dropped > 0) {
    logger.info(
      { subscriptions: subs.length, dropped },
      'console feed retired (a chat platform is configured)',
    );
  }
}
