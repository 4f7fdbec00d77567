import type { Service } from '../incidents/model.js';
import type { Catalog } from './catalog.js';

/**
 * The catalog held in memory: built-in services, SERVICES_FILE, and pages added from chat.
 * Matching ignores case, spaces and punctuation, so "New Relic", "new-relic" and "newrelic" are
 * the same key.
 */

export const normalizeKey = (text: string): string =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("dicsord"). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (prevPrev[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** How far a typo may be from a key and still be suggested. */
const fuzzyBudget = (query: string) => Math.max(1, Math.floor(query.length / 3));

/** Lower is better: exact > prefix > substring > fuzzy. */
const Rank = { Exact: 0, Prefix: 1, Substring: 2, Fuzzy: 3, None: 4 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

interface Match {
  service: Service;
  rank: Rank;
  distance: number;
}

const keysOf = (s: Service): string[] =>
  [s.id, s.name, ...s.aliases].map(normalizeKey).filter(Boolean);

function match(service: Service, query: string): Match {
  // A family tag (`meta`, `cloud`) lists the whole family, as exact matches.
  if (service.tags?.some((tag) => normalizeKey(tag) === query))
    return { service, rank: Rank.Exact, distance: 0 };
  let rank: Rank = Rank.None;
  let distance = Number.POSITIVE_INFINITY;
  for (const key of keysOf(service)) {
    if (key === query) return { service, rank: Rank.Exact, distance: 0 };
    if (key.startsWith(query)) rank = Rank.Prefix;
    else if (key.includes(query)) rank = rank === Rank.Prefix ? rank : Rank.Substring;
    else if (rank === Rank.None || rank === Rank.Fuzzy) {
      // Compare with the key's head too, so "githb" is near "githubenterprise".
      const d = Math.min(
        editDistance(query, key),
        editDistance(query, key.slice(0, query.length)) + 1,
      );
      if (d <= fuzzyBudget(query) && d < distance) {
        distance = d;
        rank = Rank.Fuzzy;
      }
    }
  }
  return { service, rank, distance: rank === Rank.Fuzzy ? distance : 0 };
}

const byName = (a: Service, b: Service) =>
  a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id);

export class MemoryCatalog implements Catalog {
  private readonly services = new Map<string, Service>();

  constructor(services: Iterable<Service> = []) {
    for (const service of services) this.add(service);
  }

  get(id: string): Service | undefined {
    return this.services.get(id.toLowerCase());
  }

  all(): Service[] {
    return [...this.services.values()].sort(byName);
  }

  /** Adds or replaces (same id) a service: later sources, like SERVICES_FILE, win. */
  add(service: Service): void {
    this.services.set(service.id.toLowerCase(), service);
  }

  remove(id: string): void {
    this.services.delete(id.toLowerCase());
  }

  find(query: string): { service?: Service; suggestions: Service[] } {
    const key = normalizeKey(query);
    if (!key) return { suggestions: [] };
    const all = [...this.services.values()];
    // Ids outrank names, names outrank aliases, so an alias can never shadow another's id.
    const exact =
      all.find((s) => normalizeKey(s.id) === key) ??
      all.find((s) => normalizeKey(s.name) === key) ??
      all.find((s) => s.aliases.some((a) => normalizeKey(a) === key));
    if (exact) return { service: exact, suggestions: [] };
    return { suggestions: this.search(query, 3) };
  }

  search(query: string, limit: number): Service[] {
    if (limit <= 0) return [];
    const key = normalizeKey(query);
    if (!key) return this.all().slice(0, limit);
    return [...this.services.values()]
      .map((s) => match(s, key))
      .filter((m) => m.rank !== Rank.None)
      .sort((a, b) => a.rank - b.rank || a.distance - b.distance || byName(a.service, b.service))
      .slice(0, limit)
      .map((m) => m.service);
  }
}
