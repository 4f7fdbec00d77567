import type { Service } from '../incidents/model.js';
import type { Store } from '../store/store.js';
import type { Catalog } from './catalog.js';
import type { ChatServiceSync } from './chat-services.js';
import { type DetectGet, detectSource, pageBase } from './detect.js';
import { assertPublicUrl, type LookupAll, UnsafeUrlError } from './public-address.js';
import { createSource } from './registry.js';
import { type FetchResult, fetchWithLimits } from './safe-fetch.js';
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
 * Turns a status page URL given in chat into a service. The address rules come first, for known
 * pages too: the operator may have turned ALLOW_PRIVATE_SOURCE_URLS off since a page was added.
 * A known page (by its page, API or feed URL) maps to its service; a new one is detected (every
 * request under the same rules, redirects included), checked with one poll, added untrusted to
 * the catalog and stored as a record of its own (every replica picks it up on its next sync).
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
  if (!deps.allowPrivate) {
    try {
      await assertPublicUrl(url, deps.lookup);
    } catch (err) {
      const why = err instanceof UnsafeUrlError ? err.message : 'its address could not be checked';
      return refused(why);
    }
  }
  const get = guardedGet(deps);
  const base = pageBase(url);
  await deps.chatServices?.sync();
  const known = findKnown(deps.catalog, base);
  if (known) return useKnown(known, get);

  const detection = await detectSource(url.href, get);
  if (!detection.ok) {
    if (get.refusal) return refused(get.refusal);
    return {
      ok: false,
      reason: `${base} is not a status page I can read. Tried: ${detection.tried.join('; ')}.`,
    };
  }
  // The same page given another way (its API URL, or a page whose feed is already followed).
  const same = findKnown(deps.catalog, detection.source.url);
  if (same) return useKnown(same, get);

  const service: Service = {
    id: serviceIdFor(url.hostname, deps.catalog),
    name: detection.pageName ?? url.hostname,
    aliases: [url.hostname],
    sources: [detection.source],
    trusted: false,
    pageUrl: base,
  };
  const probe = await createSource(service, detection.source, deps.sourceDeps).poll();
  if (!probe.ok) {
    return {
      ok: false,
      reason: `${base} looks like a ${detection.source.kind} page, but reading it failed (${probe.failure.message}).`,
    };
  }
  await deps.store.putChatService(service);
  deps.catalog.add(service);
  return { ok: true, serviceId: service.id };
}

type GuardedGet = DetectGet & { refusal?: string };

const refusalOf = (res: FetchResult): string | undefined =>
  !res.ok && res.failure.kind === 'network' && res.failure.message.startsWith('refused: ')
    ? res.failure.message.slice('refused: '.length)
    : undefined;

/** A GET under the address rules untrusted sources obey; remembers why a request was refused. */
function guardedGet(deps: UrlServiceDeps): GuardedGet {
  const { sourceDeps } = deps;
  const get: GuardedGet = async (target) => {
    const res = await fetchWithLimits(target, {
      fetch: sourceDeps.fetch,
      limits: sourceDeps.limits,
      headers: { 'user-agent': sourceDeps.userAgent },
      allowPrivate: deps.allowPrivate,
      lookup: deps.lookup,
      untrustedFetch: sourceDeps.untrustedFetch,
      now: sourceDeps.now,
    });
    get.refusal ??= refusalOf(res);
    return res;
  };
  return get;
}

/**
 * A chat-added page is read again under today's rules before a channel follows it: a redirect
 * to a private address refuses it now even if it did not when it was added. A page that is
 * merely down is still followed (its outage is news).
 */
async function useKnown(known: Service, get: DetectGet): Promise<UrlResolution> {
  const source = known.sources[0];
  if (!known.trusted && source) {
    const why = refusalOf(await get(source.url));
    if (why) return refused(why);
  }
  return { ok: true, serviceId: known.id };
}

const refused = (why: string): UrlResolution => ({
  ok: false,
  reason: `That URL cannot be followed: ${why}. Nothing was added.`,
});

function findKnown(catalog: Catalog, url: string): Service | undefined {
  const key = samePageKey(url);
  return catalog
    .all()
    .find(
      (s) =>
        (s.pageUrl !== undefined && samePageKey(s.pageUrl) === key) ||
        s.sources.some((src) => samePageKey(src.url) === key),
    );
}

/** One key for a page whatever the scheme, trailing slash, case or API path it is given with. */
function samePageKey(raw: string): string {
  let base: string;
  try {
    base = pageBase(new URL(raw));
  } catch {
    base = raw;
  }
  return base
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
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
