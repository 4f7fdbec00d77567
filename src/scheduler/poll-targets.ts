import type { Logger } from 'pino';
import type { Service } from '../incidents/model.js';
import type { Catalog } from '../sources/catalog.js';
import type { ChatServiceSync } from '../sources/chat-services.js';
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
