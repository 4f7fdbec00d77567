import * as sentryList from '@sentry/status-page-list';
import type { Service } from '../incidents/model.js';
import { type CatalogEntry, sourcesOf } from './catalog/entry.js';
import { EXTRA_SERVICES } from './catalog/extra-services.js';
import { META_FAMILY } from './catalog/meta-family.js';
import { SENTRY_OVERLAY } from './catalog/sentry-overlay.js';

interface SentryInfo {
  name: string;
  statusPageUrl: string;
  domains: string[];
  isServiceDefunct: boolean;
}

/** `@sentry/status-page-list` exports one `<key>StatusInfo` object per service. */
export function sentryEntries(): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const [exportName, value] of Object.entries(sentryList)) {
    if (!exportName.endsWith('StatusInfo')) continue;
    const info = value as SentryInfo;
    const key = exportName.slice(0, -'StatusInfo'.length);
    const overlay = SENTRY_OVERLAY[key];
    if (!overlay || info.isServiceDefunct) continue;
    const entry: CatalogEntry = {
      id: overlay.id,
      name: info.name,
      pageUrl: info.statusPageUrl,
      domains: info.domains,
      sources: overlay.sources,
      tags: overlay.tags,
    };
    if (overlay.aliases) entry.aliases = overlay.aliases;
    entries.push(entry);
  }
  return entries;
}

const toService = (entry: CatalogEntry): Service => {
  const service: Service = {
    id: entry.id,
    name: entry.name,
    aliases: [...(entry.aliases ?? [])],
    sources: sourcesOf(entry),
    trusted: true,
    tags: [...entry.tags],
  };
  if (entry.pageUrl) service.pageUrl = entry.pageUrl;
  return service;
};

/** The Meta family first (the outage this bot was born from), then the Sentry list, then ours. */
export const CATALOG_ENTRIES: readonly CatalogEntry[] = [
  ...META_FAMILY,
  ...sentryEntries(),
  ...EXTRA_SERVICES,
];

export const BUILTIN_SERVICES: readonly Service[] = CATALOG_ENTRIES.map(toService);
