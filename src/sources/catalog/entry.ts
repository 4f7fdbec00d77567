import type { SourceConfig } from '../../incidents/model.js';

/**
 * How one catalog row names its sources:
 * - `page`: the kind reads the status page URL itself (Statuspage, incident.io, ...);
 * - `probe`: a probe of the service's own front door, `https://<first domain>/`;
 * - a full SourceConfig for feeds whose address differs from the page (cloud feeds, metastatus).
 */
export type SourceSpec = { page: string } | 'probe' | SourceConfig;

/** One service of the built-in catalog, as our table writes it. */
export interface CatalogEntry {
  id: string;
  name: string;
  /** Human status page, shown in /outage status; also the `page` sources' URL. */
  pageUrl?: string;
  /** The service's own domains (first one probed by a `probe` spec). */
  domains: readonly string[];
  sources: readonly SourceSpec[];
  aliases?: readonly string[];
  /** Families for `/outage services <tag>`: meta, cloud, dev, payments, ... */
  tags: readonly string[];
}

export const page = (kind: string): SourceSpec => ({ page: kind });
export const probe = (url: string, expect?: string): SourceConfig =>
  expect === undefined ? { kind: 'probe', url } : { kind: 'probe', url, expect };
export const metastatus = (org: string): SourceConfig => ({
  kind: 'metastatus',
  url: `https://metastatus.com/${org}`,
});

/** The sources an entry's specs stand for; an entry that names no usable source is a bug. */
export function sourcesOf(entry: CatalogEntry): SourceConfig[] {
  return entry.sources.map((spec) => {
    if (spec === 'probe') {
      const domain = entry.domains.find((d) => !d.includes('*'));
      if (!domain) throw new Error(`catalog: ${entry.id} has a probe but no plain domain`);
      return probe(`https://${domain}/`);
    }
    if ('page' in spec) {
      if (!entry.pageUrl) throw new Error(`catalog: ${entry.id} reads its page but has none`);
      return { kind: spec.page, url: entry.pageUrl.replace(/\/+$/, '') };
    }
    return spec;
  });
}
