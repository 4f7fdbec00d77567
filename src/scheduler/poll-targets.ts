import type { Logger } from 'pino';
import type { Service } from '../incidents/model.js';
import type { Catalog } from '../sources/catalog.js';
import type { ChatServiceSync } from '../sources/chat-services.js';
import type { PollTarget } from '../sources/feeds.js';
import { reportsFeedOf } from '../sources/reports.js';
import type { ReportStore } from '../store/reports.js';
import type { Store } from '../store/store.js';

export interface PollTargetDeps {
  store: Store;
  catalog: Catalog;
  chatServices: ChatServiceSync;
  logger: Logger;
}

/**
 * The services a scheduler tick polls: exactly those some channel follows (the console's WATCH is
 * a subscription too), with pages added from chat on any replica brought in first. A failed sync
 * keeps the catalog as it was rather than skipping the tick.
 */
export async function servicesToPoll(deps: PollTargetDeps): Promise<Service[]> {
  await deps.chatServices.sync().catch((err: unknown) => {
    deps.logger.warn({ err }, 'could not read chat-added status pages; polling the known ones');
  });
  const subscribed = await deps.store.listSubscribedServiceIds();
  return subscribed
    .map((id) => deps.catalog.get(id))
    .filter((s): s is Service => s !== undefined && s.sources.length > 0);
}

/**
 * The reports feeds worth a poll this tick: those of polled services someone reported since
 * `sinceMs` (the window, the hold time and a margin back), so that an open report incident is
 * still polled until it resolves while a quiet service costs nothing.
 */
export async function reportTargets(
  services: readonly Service[],
  reports: Pick<ReportStore, 'reportedSince'>,
  sinceMs: number,
): Promise<PollTarget[]> {
  const reported = new Set(await reports.reportedSince(sinceMs));
  return services
    .filter((service) => reported.has(service.id))
    .map((service) => {
      const feed = reportsFeedOf(service);
      return { id: feed.key, feed };
    });
}
