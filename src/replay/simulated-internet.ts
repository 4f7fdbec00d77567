import type { LookupAddress } from 'node:dns';
import type { ResolveHost } from '../sources/probe-check.js';
import type { LookupAll } from '../sources/public-address.js';

/** What DNS says about a host. */
export type DnsAnswer = 'ok' | 'servfail' | 'nxdomain' | 'timeout';

/** What any request to a host meets, from a moment of the timeline on. */
export interface HostState {
  dns: DnsAnswer;
  /** The HTTP status of a URL on this host that has no payload of its own. */
  status: number;
  body?: string;
}

/** What one URL answers once its host resolves. */
export interface UrlAnswer {
  status: number;
  body: string;
  contentType?: string;
}

/** A host nobody described resolves and answers 200: the rest of the internet is fine. */
const HEALTHY: HostState = { dns: 'ok', status: 200 };

/** A documentation address (RFC 5737): what a resolved host "is", though no packet is sent. */
const ADDRESS = '192.0.2.1';

/** The codes c-ares gives `dns.resolve*` (what probes read) and getaddrinfo gives fetch. */
const RESOLVER_CODES: Record<Exclude<DnsAnswer, 'ok'>, string> = {
  servfail: 'ESERVFAIL',
  nxdomain: 'ENOTFOUND',
  timeout: 'ETIMEOUT',
};
const GETADDRINFO_CODES: Record<Exclude<DnsAnswer, 'ok'>, string> = {
  servfail: 'EAI_AGAIN',
  nxdomain: 'ENOTFOUND',
  timeout: 'EAI_AGAIN',
};

const dnsError = (code: string, hostname: string) =>
  Object.assign(new Error(`${code} ${hostname}`), { code, hostname });

/**
 * An in-process internet for replays: a fetch, a resolver and a lookup that answer from the
 * state the timeline set, so the real sources and probes run with no network at all. A failing
 * name fails the way Node's own resolvers and undici do (the same error codes), so the probe's
 * own classification reads it.
 */
export class SimulatedInternet {
  private readonly hosts = new Map<string, HostState>();
  /** Exact URLs, and prefixes (a URL ending in `*`) for whole trees. */
  private readonly urls = new Map<string, UrlAnswer>();
  /** Requests and lookups answered so far. */
  requests = 0;

  setHost(hostname: string, state: HostState): void {
    this.hosts.set(hostname.toLowerCase(), state);
  }

  setUrl(url: string, answer: UrlAnswer): void {
    this.urls.set(url, answer);
  }

  hostState(hostname: string): HostState {
    return this.hosts.get(hostname.toLowerCase()) ?? HEALTHY;
  }

  readonly resolveHost: ResolveHost = async (hostname) => {
    this.requests++;
    const { dns } = this.hostState(hostname);
    if (dns !== 'ok') throw dnsError(RESOLVER_CODES[dns], hostname);
    return [ADDRESS];
  };

  readonly lookup: LookupAll = async (hostname) => {
    this.requests++;
    const { dns } = this.hostState(hostname);
    if (dns !== 'ok') throw dnsError(GETADDRINFO_CODES[dns], hostname);
    return [{ address: ADDRESS, family: 4 } satisfies LookupAddress];
  };

  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    this.requests++;
    const url = new URL(input instanceof Request ? input.url : input);
    if (init?.signal?.aborted) throw init.signal.reason;
    const host = this.hostState(url.hostname);
    if (host.dns !== 'ok') {
      throw new TypeError('fetch failed', {
        cause: dnsError(GETADDRINFO_CODES[host.dns], url.hostname),
      });
    }
    const answer = this.answerFor(url);
    const status = answer?.status ?? host.status;
    const body = answer?.body ?? host.body ?? '';
    const method = (init?.method ?? 'GET').toUpperCase();
    const nullBody = method === 'HEAD' || status === 204 || status === 304;
    return new Response(nullBody ? null : body, {
      status,
      headers: { 'content-type': answer?.contentType ?? 'text/html; charset=utf-8' },
    });
  };

  private answerFor(url: URL): UrlAnswer | undefined {
    const href = `${url.origin}${url.pathname}`;
    const exact = this.urls.get(href);
    if (exact) return exact;
    let best: { prefix: string; answer: UrlAnswer } | undefined;
    for (const [key, answer] of this.urls) {
      if (!key.endsWith('*')) continue;
      const prefix = key.slice(0, -1);
      if (href.startsWith(prefix) && (!best || prefix.length > best.prefix.length))
        best = { prefix, answer };
    }
    return best?.answer;
  }
}
