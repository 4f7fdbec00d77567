import { promises as dns } from 'node:dns';
import type { PollResult, Service, SourceConfig } from '../incidents/model.js';
import type { Connectivity } from './connectivity.js';
import { type ResolveHost, runProbeCheck } from './probe-check.js';
import { assertPublicUrl } from './public-address.js';
import type { Source, SourceDeps, SourceKind } from './source.js';

/**
 * A check of the service's own address (DNS, then HTTPS), for services whose status page goes
 * down with them or that have none (Meta's consumer apps). Each poll yields one check; counting
 * checks into an incident (PROBE_FAILURES to open, PROBE_RECOVERIES to recover) is the
 * reconciler's, so the count survives restarts and replicas. A failed check while the control
 * targets fail too is the bot's own outage: a typed `offline` failure that changes nothing.
 */
export class ProbeSource implements Source {
  /** Checks still to run at the short interval: every check while failing, then the recoveries. */
  private rechecks = 0;

  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
  ) {}

  async poll(signal?: AbortSignal): Promise<PollResult> {
    const fetch = await this.fetchFor();
    if (typeof fetch === 'string') return refused(fetch);
    const result = await runProbeCheck({
      url: this.config.url,
      ...(this.config.expect !== undefined ? { expect: this.config.expect } : {}),
      fetch,
      resolveHost: this.deps.resolveHost ?? resolveWithSystemDns,
      timeoutMs: this.deps.limits.timeoutMs,
      maxBytes: this.deps.limits.maxBytes,
      now: this.deps.now,
      ...(signal ? { signal } : {}),
    });
    // The address rules refused it (a rebinding caught at connect): not the service's outage.
    if (!result.ok && result.stage === 'config') return refused(result.detail);
    const recheck = this.deps.probeRecheck;
    if (recheck) this.rechecks = result.ok ? Math.max(0, this.rechecks - 1) : recheck.recoveries;
    // While the bot is marked offline a good check asks the control targets again (the verdict
    // is cached), so that "offline" clears when the network is back, not at the next failure.
    if (result.ok && this.deps.connectivity?.offlineSince !== undefined)
      await isOnline(this.deps.connectivity, signal);
    if (!result.ok && !(await isOnline(this.deps.connectivity, signal))) {
      const message = `probe of ${this.config.url} failed (${result.detail}) while the control targets fail too`;
      return { ok: false, failure: { kind: 'offline', message } };
    }
    return {
      ok: true,
      snapshot: {
        serviceId: this.service.id,
        fetchedAt: result.at,
        incidents: [],
        maintenances: [],
        components: [],
        resolutionsKnown: false,
        probe: { url: this.config.url, result },
      },
    };
  }

  /**
   * Only trusted services (catalog, SERVICES_FILE) may probe private addresses, as for every other
   * kind; any other goes through the public-address check and the pinned fetch. Returns why not.
   */
  private async fetchFor(): Promise<typeof globalThis.fetch | string> {
    if (this.service.trusted || this.deps.allowPrivateUrls === true) return this.deps.fetch;
    const { lookup, untrustedFetch } = this.deps;
    if (!lookup || !untrustedFetch) return 'no pinned fetch for untrusted URLs';
    try {
      await assertPublicUrl(this.config.url, lookup);
      return untrustedFetch;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  /** A Meta-class outage should reach the channel within about 90 s, not three ticks later. */
  recheckInMs(): number | undefined {
    return this.rechecks > 0 ? this.deps.probeRecheck?.afterMs : undefined;
  }
}

const refused = (why: string): PollResult => ({
  ok: false,
  failure: { kind: 'network', message: `refused: ${why}` },
});

const isOnline = async (connectivity: Connectivity | undefined, signal?: AbortSignal) =>
  connectivity ? connectivity.online(signal).catch(() => false) : true;

/** Both families, so that an IPv6-only answer still counts as resolving. */
const resolveWithSystemDns: ResolveHost = async (hostname) => {
  const [v4, v6] = await Promise.allSettled([dns.resolve4(hostname), dns.resolve6(hostname)]);
  const addresses = [v4, v6].flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (addresses.length > 0) return addresses;
  throw v4.status === 'rejected' ? v4.reason : new Error('no addresses');
};

export const probeKind: SourceKind = {
  kind: 'probe',
  create: (service, config, deps) => new ProbeSource(service, config, deps),
};
