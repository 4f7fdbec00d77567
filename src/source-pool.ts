import type { Logger } from 'pino';
import type { LoadedConfig } from './config.js';
import type { Service } from './incidents/model.js';
import type { Connectivity } from './sources/connectivity.js';
import type { Feed } from './sources/feeds.js';
import { createPinnedFetch } from './sources/pinned-fetch.js';
import type { ResolveHost } from './sources/probe-check.js';
import type { LookupAll } from './sources/public-address.js';
import { createSource } from './sources/registry.js';
import { DEFAULT_FETCH_LIMITS, type Source, type SourceDeps } from './sources/source.js';
import type { Store } from './store/store.js';

const USER_AGENT = 'outage-bot/0.1 (+https://github.com/outage-bot)';

export interface SourcePoolDeps {
  config: LoadedConfig;
  fetch: typeof globalThis.fetch;
  now: () => Date;
  logger: Logger;
  lookup: LookupAll;
  connectivity: Connectivity;
  store: Store;
  resolveHost?: ResolveHost | undefined;
}

/** One source per feed, built on first use and kept across polls for its conditional-GET cache. */
export interface SourcePool {
  /** What every source is built with (a status page URL given in chat is probed with it too). */
  sourceDeps: SourceDeps;
  sourceFor(service: Service, feed: Feed): Source;
  /** The source already built for a feed, if any. */
  built(feedKey: string): Source | undefined;
}

export function createSourcePool(deps: SourcePoolDeps): SourcePool {
  const { config, now, logger, lookup, store } = deps;
  const sourceDeps: SourceDeps = {
    fetch: deps.fetch,
    now,
    logger,
    limits: { ...DEFAULT_FETCH_LIMITS, timeoutMs: config.POLL_TIMEOUT_MS },
    userAgent: USER_AGENT,
    allowPrivateUrls: config.ALLOW_PRIVATE_SOURCE_URLS,
    lookup,
    untrustedFetch: createPinnedFetch(lookup),
    connectivity: deps.connectivity,
    probeRecheck: { afterMs: config.PROBE_RECHECK_MS, recoveries: config.PROBE_RECOVERIES },
    reports: { store: store.reports, windowMs: config.REPORT_WINDOW_MS },
    ...(deps.resolveHost ? { resolveHost: deps.resolveHost } : {}),
  };
  const sources = new Map<string, Source>();
  const sourceFor = (service: Service, feed: Feed): Source => {
    let source = sources.get(feed.key);
    if (!source) {
      source = createSource(service, feed.config, {
        ...sourceDeps,
        logger: logger.child({ source: feed.key }),
      });
      sources.set(feed.key, source);
    }
    return source;
  };
  return { sourceDeps, sourceFor, built: (feedKey) => sources.get(feedKey) };
}
