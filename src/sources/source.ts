import type { Logger } from 'pino';
import type { PollResult, Service, SourceConfig } from '../incidents/model.js';
import type { Connectivity } from './connectivity.js';
import type { ResolveHost } from './probe-check.js';
import type { LookupAll } from './public-address.js';
import type { ReportsDeps } from './reports.js';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  timeoutMs: 10_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 3,
};

/** Collaborators a source gets from the composition root; never reached through globals. */
export interface SourceDeps {
  fetch: typeof globalThis.fetch;
  now: () => Date;
  logger: Logger;
  limits: FetchLimits;
  userAgent: string;
  /**
   * ALLOW_PRIVATE_SOURCE_URLS. Untrusted services (added from chat) may only reach public
   * addresses unless this is true; trusted ones (catalog, SERVICES_FILE) are never checked.
   */
  allowPrivateUrls?: boolean;
  /** DNS used for that check (`dns.promises.lookup`); required to poll untrusted services. */
  lookup?: LookupAll;
  /**
   * The fetch for untrusted services (createPinnedFetch): it re-checks the address it connects
   * to, closing the DNS-rebinding gap after the `lookup` check. Required to poll them.
   */
  untrustedFetch?: typeof globalThis.fetch;
  /** Probes: DNS resolution (c-ares by default; tests inject their own). */
  resolveHost?: ResolveHost;
  /** Probes: the bot's own connectivity, so that its outage is never reported as everyone's. */
  connectivity?: Connectivity;
  /** Probes: re-check this soon while failing or recovering (PROBE_RECHECK_MS, PROBE_RECOVERIES). */
  probeRecheck?: { afterMs: number; recoveries: number };
  /** The reports feed: the store's report counts and REPORT_WINDOW_MS. */
  reports?: ReportsDeps;
}

/** One status feed of one service. poll() never throws: every failure is a typed PollResult. */
export interface Source {
  readonly service: Service;
  readonly config: SourceConfig;
  poll(signal?: AbortSignal): Promise<PollResult>;
  /** Poll again this soon rather than at the next tick (a probe that is failing); else undefined. */
  recheckInMs?(): number | undefined;
}

/** One entry of the source registry table (src/sources/registry.ts). */
export interface SourceKind {
  kind: string;
  create(service: Service, config: SourceConfig, deps: SourceDeps): Source;
}
