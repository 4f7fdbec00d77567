import type { Service } from '../incidents/model.js';
import type { Store } from '../store/store.js';
import type { Catalog } from './catalog.js';
import { BUILTIN_SERVICES } from './catalog-data.js';
import { MemoryCatalog } from './memory-catalog.js';
import { loadServicesFile } from './services-file.js';

/** Store document holding the status pages channels added by URL, so they survive restarts. */
export const URL_SERVICES_DOC = 'catalog:url-services';

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
  const fromChat = (await options.store.getDoc<Service[]>(URL_SERVICES_DOC)) ?? [];
  const byId = new Map<string, Service>();
  for (const service of [...fromChat, ...BUILTIN_SERVICES, ...fromFile])
    byId.set(service.id, service);
  return new MemoryCatalog([...byId.values()]);
}
