import type { Service } from '../incidents/model.js';
import type { Store } from '../store/store.js';
import type { Catalog } from './catalog.js';
import type { ChatServiceSync } from './chat-services.js';
import { assertPublicUrl, type LookupAll, UnsafeUrlError } from './public-address.js';
import { createSource } from './registry.js';
import type { SourceDeps } from './source.js';

export interface UrlServiceDeps {
  catalog: Catalog;
  store: Store;
  /** Brings in pages other replicas added, so one page is not added twice under two ids. */
  chatServices?: ChatServiceSync;
  sourceDeps: SourceDeps;
  lookup: LookupAll;
  allowPrivate: boolean;
}

export type UrlResolution = { ok: true; serviceId: string } | { ok: false; reason: string };

/**
 * Turns a status page URL given in chat into a service: a known page maps to its catalog entry;
 * a new one must resolve to a public address (unless the operator allows private ones) and answer
 * as a Statuspage before it is added, untrusted, to the catalog and stored as a record of its own
 * (every replica's catalog picks it up on its next sync).
 */
export async function resolveStatusPageUrl(
  raw: string,
  deps: UrlServiceDeps,
): Promise<UrlResolution> {
  let url: URL;
  try {
    url = new URL(raw.replace(/^<|>$/g, '').split('|')[0] ?? raw);
  } catch {
    return { ok: false, reason: `"${raw}" is not a URL. Try https://status.example.com` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'Only http and https status page URLs are supported.' };
  }
  const base = `${url.origin}${url.pathname.replace(/\/(api\/v2\/.*)?$/, '')}`;
  await deps.chatServices?.sync();
  const known = deps.catalog.all().find((s) => s.sources.some((src) => sameBase(src.url, base)));
  if (known) return { ok: true, serviceId: known.id };

  if (!deps.allowPrivate) {
    try {
      await assertPublicUrl(base, deps.lookup);
    } catch (err) {
      const why = err instanceof UnsafeUrlError ? err.message : 'its address could not be checked';
      return { ok: false, reason: `That URL cannot be followed: ${why}.` };
    }
  }
  const id = serviceIdFor(url.hostname, deps.catalog);
  const service: Service = {
    id,
    name: url.hostname,
    aliases: [url.hostname],
    sources: [{ kind: 'statuspage', url: base }],
    trusted: false,
  };
  const probe = await createSource(
    service,
    { kind: 'statuspage', url: base },
    deps.sourceDeps,
  ).poll();
  if (!probe.ok) {
    return {
      ok: false,
      reason: `${base} did not answer as a Statuspage status page (${probe.failure.message}).`,
    };
  }
  await deps.store.putChatService(service);
  deps.catalog.add(service);
  return { ok: true, serviceId: id };
}

function sameBase(a: string, b: string): boolean {
  const strip = (u: string) =>
    u
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '')
      .toLowerCase();
  return strip(a) === strip(b);
}

/** "status.acme.io" -> "acme-io"; a suffix keeps it unique in the catalog. */
function serviceIdFor(hostname: string, catalog: Catalog): string {
  const stem =
    hostname
      .toLowerCase()
      .replace(/^(www|status)\./, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 48) || 'status-page';
  let id = stem;
  for (let n = 2; catalog.get(id); n++) id = `${stem}-${n}`;
  return id;
}
