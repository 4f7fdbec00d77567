import type { Service } from '../incidents/model.js';
import type { ParseResult } from './json-body.js';
import { fetchWithLimits } from './safe-fetch.js';
import type { SourceDeps } from './source.js';

interface CacheEntry {
  etag?: string;
  lastModified?: string;
  value: unknown;
}

/**
 * GETs through fetchWithLimits with If-None-Match / If-Modified-Since whenever the server gave
 * validators, keeping the last good parse per URL in memory so a 304 costs no parsing. Used by
 * every JSON source kind; one instance per source. Never throws.
 */
export class ConditionalGet {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly service: Service,
    private readonly deps: SourceDeps,
  ) {}

  async get<T>(
    url: string,
    parse: (body: string) => ParseResult<T>,
    signal: AbortSignal | undefined,
  ): Promise<ParseResult<T>> {
    const cached = this.cache.get(url);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.deps.userAgent,
    };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;

    const res = await fetchWithLimits(url, {
      fetch: this.deps.fetch,
      limits: this.deps.limits,
      headers,
      signal,
      allowPrivate: this.service.trusted || this.deps.allowPrivateUrls === true,
      lookup: this.deps.lookup,
      untrustedFetch: this.deps.untrustedFetch,
      now: this.deps.now,
    });
    if (!res.ok) return res;
    if (res.status === 304) {
      if (cached) return { ok: true, value: cached.value as T };
      const message = `${new URL(url).pathname}: 304 with nothing cached`;
      return { ok: false, failure: { kind: 'http_status', status: 304, message } };
    }
    const parsed = parse(res.body);
    if (!parsed.ok) return parsed;
    const etag = res.headers.get('etag') ?? undefined;
    const lastModified = res.headers.get('last-modified') ?? undefined;
    if (etag || lastModified) this.cache.set(url, { value: parsed.value, etag, lastModified });
    else this.cache.delete(url);
    return parsed;
  }
}

/** poll() must never throw, whatever a collaborator does: the last line of defence. */
export const unexpectedFailure = (err: unknown) => ({
  ok: false as const,
  failure: {
    kind: 'bad_body' as const,
    message: `unexpected: ${err instanceof Error ? err.message : String(err)}`,
  },
});
