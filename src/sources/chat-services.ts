import type { Service } from '../incidents/model.js';
import type { Store } from '../store/store.js';
import type { Catalog } from './catalog.js';

/**
 * Keeps a replica's catalog in step with the status pages added from chat on any replica: each
 * is a record of its own in the store (Store.putChatService), so a page one replica added is
 * polled and found by name on the others from their next sync, with no restart. A page whose
 * record expired (nobody followed it for the grace period) leaves the catalog.
 */
export interface ChatServiceSync {
  /** Reads the store's chat-added pages into the catalog; returns how many there are. */
  sync(): Promise<number>;
}

export function createChatServiceSync(catalog: Catalog, store: Store): ChatServiceSync {
  /** Ids this sync put in the catalog, so a retired page can be taken out again. */
  const fromChat = new Set<string>();
  return {
    async sync() {
      const pages = await store.listChatServices();
      const current = new Set(pages.map((s) => s.id));
      for (const id of fromChat) {
        if (!current.has(id)) {
          catalog.remove(id);
          fromChat.delete(id);
        }
      }
      for (const page of pages) {
        // Operator-configured services win: a chat page never replaces a trusted entry.
        if (!isOperatorService(catalog.get(page.id), fromChat)) {
          catalog.add(page);
          fromChat.add(page.id);
        }
      }
      return pages.length;
    },
  };
}

const isOperatorService = (existing: Service | undefined, fromChat: Set<string>): boolean =>
  existing?.trusted === true && !fromChat.has(existing.id);
