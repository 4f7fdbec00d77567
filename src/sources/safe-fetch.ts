import type { SourceFailure } from '../incidents/model.js';
import { assertPublicUrl, type LookupAll, UnsafeUrlError } from './public-address.js';
import type { FetchLimits } from './source.js';

export interface FetchWithLimitsOptions {
  fetch: typeof globalThis.fetch;
  limits: FetchLimits;
  headers?: Record<string, string>;
  /** The caller's own cancellation (shutdown, a scheduler deadline). */
  signal?: AbortSignal;
  /** False for URLs from chat: the URL and every redirect hop must resolve to public addresses. */
  allowPrivate: boolean;
  /** Needed when allowPrivate is false: gives the refusal message before anything is sent. */
  lookup?: LookupAll;
  /**
   * Needed when allowPrivate is false, and used instead of `fetch` for every hop: a fetch that
   * re-checks the address it connects to (createPinnedFetch), since DNS may answer differently
   * after the pre-check.
   */
  untrustedFetch?: typeof globalThis.fetch;
  /** For Retry-After given as an HTTP date. */
  now?: () => Date;
  /** Bytes -> text; UTF-8 unless given (AWS answers in UTF-16). */
  decode?: BodyDecoder;
}

/** Turns a body's bytes into text, given its Content-Type header. */
export type BodyDecoder = (bytes: Uint8Array, contentType: string | null) => string;

const decodeUtf8: BodyDecoder = (bytes) => new TextDecoder().decode(bytes);

export type FetchResult =
  | { ok: true; status: number; headers: Headers; body: string; url: string }
  | { ok: false; failure: SourceFailure };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

class TooLarge extends Error {}

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/**
 * Reads the body chunk by chunk and gives up once it passes maxBytes, so a 20 MB answer costs
 * at most maxBytes of memory. Each read also races the abort signal, because not every fetch
 * implementation errors a body stream that is already flowing when its signal fires.
 */
async function readCapped(
  res: Response,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new TooLarge(`body exceeds ${maxBytes} bytes`);
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    throw err;
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
  return Buffer.concat(chunks);
}

/**
 * A body of a stated length, not compressed, is at most that long (the client refuses a longer
 * one), so it can be read whole: much cheaper than chunk by chunk for the usual small page. A
 * compressed body's length says nothing of what it inflates to, and goes through readCapped.
 */
function knownLength(res: Response, declared: number): boolean {
  if (!Number.isFinite(declared) || res.headers.get('content-length') === null) return false;
  const encoding = res.headers.get('content-encoding');
  return encoding === null || encoding.trim().toLowerCase() === 'identity';
}

/** `work`, or the signal's reason once it fires (a body read need not notice the abort). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

const fail = (failure: SourceFailure): FetchResult => ({ ok: false, failure });

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : '';
  return detail && !err.message.includes(detail) ? `${err.message}: ${detail}` : err.message;
}

/**
 * GET with a deadline covering headers and body, a body size cap, and redirects followed by
 * hand (so each hop can be checked and counted). Never throws: every outcome is a FetchResult.
 * A 304 is a success with an empty body; any other non-2xx is an `http_status` failure.
 */
export async function fetchWithLimits(
  url: string,
  options: FetchWithLimitsOptions,
): Promise<FetchResult> {
  const { limits } = options;
  const now = options.now ?? (() => new Date());
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const abortFailure = (): FetchResult =>
    timeout.aborted
      ? fail({ kind: 'timeout', message: `no complete answer within ${limits.timeoutMs} ms` })
      : fail({ kind: 'timeout', message: 'aborted by the caller' });

  const { lookup } = options;
  // Without a pinned fetch the pre-check alone could be outrun by DNS rebinding: fail closed.
  const fetchHop = options.allowPrivate ? options.fetch : options.untrustedFetch;
  if (!options.allowPrivate && !lookup) {
    return fail({ kind: 'network', message: 'refused: no DNS lookup to check the address' });
  }
  if (!fetchHop) {
    return fail({ kind: 'network', message: 'refused: no pinned fetch for untrusted URLs' });
  }

  let current = url;
  for (let hop = 0; ; hop++) {
    if (lookup && !options.allowPrivate) {
      try {
        await assertPublicUrl(current, lookup);
      } catch (err) {
        const reason = err instanceof UnsafeUrlError ? err.message : describe(err);
        return fail({ kind: 'network', message: `refused: ${reason}` });
      }
      if (signal.aborted) return abortFailure();
    } else if (!/^https?:/i.test(current)) {
      return fail({ kind: 'network', message: `refused: not an http(s) URL: ${current}` });
    }

    let res: Response;
    try {
      res = await fetchHop(current, {
        method: 'GET',
        headers: options.headers,
        redirect: 'manual',
        signal,
      });
    } catch (err) {
      if (signal.aborted) return abortFailure();
      const cause = (err as { cause?: unknown } | undefined)?.cause;
      if (cause instanceof UnsafeUrlError) {
        return fail({ kind: 'network', message: `refused: ${cause.message}` });
      }
      return fail({ kind: 'network', message: describe(err) });
    }

    if (REDIRECT_STATUSES.has(res.status)) {
      res.body?.cancel().catch(() => {});
      const location = res.headers.get('location');
      if (!location) {
        return fail({
          kind: 'http_status',
          status: res.status,
          message: 'redirect without Location',
        });
      }
      if (hop >= limits.maxRedirects) {
        return fail({
          kind: 'http_status',
          status: res.status,
          message: `more than ${limits.maxRedirects} redirects (last to ${location})`,
        });
      }
      try {
        current = new URL(location, current).toString();
      } catch {
        return fail({ kind: 'http_status', status: res.status, message: 'bad redirect Location' });
      }
      continue;
    }

    if (res.status === 304) {
      res.body?.cancel().catch(() => {});
      return { ok: true, status: 304, headers: res.headers, body: '', url: current };
    }
    if (res.status < 200 || res.status > 299) {
      res.body?.cancel().catch(() => {});
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
      return fail({
        kind: 'http_status',
        status: res.status,
        message: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }

    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      res.body?.cancel().catch(() => {});
      return fail({
        kind: 'too_large',
        message: `Content-Length ${declared} exceeds ${limits.maxBytes} bytes`,
      });
    }
    try {
      const bytes = knownLength(res, declared)
        ? await untilAborted(res.arrayBuffer(), signal).then((b) => new Uint8Array(b))
        : await readCapped(res, limits.maxBytes, signal);
      const body = (options.decode ?? decodeUtf8)(bytes, res.headers.get('content-type'));
      return { ok: true, status: res.status, headers: res.headers, body, url: current };
    } catch (err) {
      if (err instanceof TooLarge) return fail({ kind: 'too_large', message: err.message });
      if (signal.aborted) return abortFailure();
      return fail({ kind: 'network', message: `body: ${describe(err)}` });
    }
  }
}
