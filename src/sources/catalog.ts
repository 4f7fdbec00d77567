import type { Service } from '../incidents/model.js';

/** Known services: the built-in list, SERVICES_FILE, and pages added from chat by URL. */
export interface Catalog {
  get(id: string): Service | undefined;
  all(): Service[];
  /**
   * Exact match on id, name or alias (case-insensitive). On a miss, `suggestions` holds the
   * nearest services for a "did you mean".
   */
  find(query: string): { service?: Service; suggestions: Service[] };
  /** Ranked search for `services [query]` and Discord autocomplete. */
  search(query: string, limit: number): Service[];
  add(service: Service): void;
  /** Forgets a service (a chat-added page nobody follows any more). */
  remove(id: string): void;
}
