import type { Service } from '../incidents/model.js';
import type { Store } from '../store/store.js';
import type { Catalog } from './catalog.js';
import { BUILTIN_SERVICES } from './catalog-data.js';
import { MemoryCatalog } from './memory-catalog.js';
import { loadServicesFile } from './services-file.js';

/**
 * Where older versions kept every chat-added page, in one document. Read once at start-up and
 * moved into records of their own (Store.putChatService); never written any more.
 */
export const LEGACY_URL_SERVICES_DOC = 'catalog:url-services';

export interface BuildCatalogOptions {
  servicesFile?: string;
  readFile: (path: string) => Promise<string>;
  store: Store;
}

/** Built-in services, then SERVICES_FILE (which may override a built-in id), then chat-added pages. */
export async function buildCatalog(options: BuildCatalogOptions): Promise<Catalog> {
  const fromFile = options.servicesFile
    ? await loadServicesFile(options.servicesFile, options.readFile)
    : [];
  const legacy = (await options.store.getDoc<Service[]>(LEGACY_URL_SERVICES_DOC)) ?? [];
  for (const service of legacy) await options.store.putChatService(service);
  const fromChat = await options.store.listChatServices();
  const byId = new Map<string, Service>();
  for (const service of [...fromChat, ...BUILTIN_SERVICES, ...fromFile])
    byId.set(service.id, service);
  return new MemoryCatalog([...byId.values()]);
}
