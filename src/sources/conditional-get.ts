import { createHash } from 'node:crypto';
import type { Service, SourceFailure } from '../incidents/model.js';
import type { ParseResult } from './json-body.js';
import { type BodyDecoder, fetchWithLimits } from './safe-fetch.js';
import type { SourceDeps } from './source.js';

export type Fetched<T> = { ok: true; value: T } | { ok: false; failure: SourceFailure };

export interface GetOptions {
  /** Default `application/json`. */
  accept?: string;
  signal?: AbortSignal | undefined;
  decode?: BodyDecoder;
}

interface CacheEntry {
  etag?: string;
  lastModified?: string;
  /** Of the body `value` was parsed from: a 200 with the same body reuses the parse. */
  digest: string;
  value: unknown;
}

/** A page's fingerprint: hashing costs a small part of parsing and checking the JSON. */
const digestOf = (body: string): string => createHash('sha1').update(body).digest('base64');

/**
 * GET through fetchWithLimits with If-None-Match / If-Modified-Since, keeping the last good
 * parse per URL in memory so a 304, or a 200 whose body is byte for byte the last one (most polls
 * of a page without validators), costs no parsing and answers the very same value. One per source instance: the cache holds
 * that source's own URLs only. Whether the service may reach private addresses is decided here,
 * once, from its trust.
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
    options: GetOptions = {},
  ): Promise<Fetched<T>> {
    const cached = this.cache.get(url);
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      'user-agent': this.deps.userAgent,
    };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;

    const res = await fetchWithLimits(url, {
      fetch: this.deps.fetch,
      limits: this.deps.limits,
      headers,
      signal: options.signal,
      allowPrivate: this.service.trusted || this.deps.allowPrivateUrls === true,
      lookup: this.deps.lookup,
      untrustedFetch: this.deps.untrustedFetch,
      now: this.deps.now,
      ...(options.decode ? { decode: options.decode } : {}),
    });
    if (!res.ok) return res;
    const path = new URL(url).pathname;
    if (res.status === 304) {
      if (cached) return { ok: true, value: cached.value as T };
      return {
        ok: false,
        failure: { kind: 'http_status', status: 304, message: `${path}: 304 with nothing cached` },
      };
    }
    const digest = digestOf(res.body);
    const etag = res.headers.get('etag') ?? undefined;
    const lastModified = res.headers.get('last-modified') ?? undefined;
    if (cached?.digest === digest) {
      this.cache.set(url, { ...cached, etag, lastModified });
      return { ok: true, value: cached.value as T };
    }
    const parsed = parse(res.body);
    if (!parsed.ok) return parsed;
    this.cache.set(url, { value: parsed.value, digest, etag, lastModified });
    return { ok: true, value: parsed.value };
  }
}

/** poll() must never throw, whatever a collaborator does: the last line of every source. */
export const unexpectedFailure = (err: unknown): { ok: false; failure: SourceFailure } => ({
  ok: false,
  failure: {
    kind: 'bad_body',
    message: `unexpected: ${(err as Error | undefined)?.message ?? String(err)}`,
  },
});
