import { isIP } from 'node:net';
import type { ProbeFailureStage, ProbeResult } from '../incidents/model.js';
import { UnsafeUrlError } from './public-address.js';

/** Resolves a host name to its addresses; throws an error with a DNS `code` when it cannot. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export interface ProbeCheckOptions {
  url: string;
  /** Text the body must contain; unset: any answer below 500 counts as up. */
  expect?: string;
  fetch: typeof globalThis.fetch;
  resolveHost: ResolveHost;
  timeoutMs: number;
  /** Bodies are read up to this many bytes when `expect` is set. */
  maxBytes: number;
  now: () => Date;
  signal?: AbortSignal;
}

/** DNS error codes (c-ares and getaddrinfo) in the words an operator reads in a thread. */
const DNS_CODES: Record<string, string> = {
  ESERVFAIL: 'DNS SERVFAIL',
  ENOTFOUND: 'DNS NXDOMAIN',
  ENODATA: 'DNS has no address records',
  ETIMEOUT: 'DNS timeout',
  EAI_AGAIN: 'DNS SERVFAIL',
  ECONNREFUSED: 'DNS server refused the query',
  EREFUSED: 'DNS server refused the query',
};

/** Socket and TLS error codes undici reports as an error's `cause`. */
const CONNECT_CODES: Record<string, { stage: ProbeFailureStage; detail: string }> = {
  ECONNREFUSED: { stage: 'connect', detail: 'connection refused' },
  ECONNRESET: { stage: 'connect', detail: 'connection reset' },
  EHOSTUNREACH: { stage: 'connect', detail: 'host unreachable' },
  ENETUNREACH: { stage: 'connect', detail: 'network unreachable' },
  EPIPE: { stage: 'connect', detail: 'connection closed' },
  UND_ERR_SOCKET: { stage: 'connect', detail: 'connection closed' },
  UND_ERR_CONNECT_TIMEOUT: { stage: 'timeout', detail: 'connect timeout' },
  ETIMEDOUT: { stage: 'timeout', detail: 'connect timeout' },
};

const fail = (stage: ProbeFailureStage, detail: string, at: string): ProbeResult => ({
  ok: false,
  stage,
  detail,
  at,
});

/**
 * One check of a service's own address: DNS first (skipped for an address literal, so that a vanished zone reads as DNS, not as
 * a connection error), then one HTTPS request. Never throws; every failure says what failed.
 */
export async function runProbeCheck(options: ProbeCheckOptions): Promise<ProbeResult> {
  const at = options.now().toISOString();
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return fail('config', `not a URL: ${options.url}`, at);
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  // An address literal has no name to look up: a resolver asked for one fails, which would read
  // as a DNS outage of a host that never used DNS.
  if (isIP(hostname) === 0) {
    const dns = await resolveStep(options, hostname, at);
    if (dns) return dns;
  }
  return httpStep(options, at);
}

async function resolveStep(
  options: ProbeCheckOptions,
  hostname: string,
  at: string,
): Promise<ProbeResult | undefined> {
  try {
    const addresses = await withTimeout(options.resolveHost(hostname), options.timeoutMs);
    if (addresses.length === 0) return fail('dns', DNS_CODES.ENODATA ?? 'DNS', at);
    return undefined;
  } catch (err) {
    if (err instanceof ProbeTimeout) return fail('dns', 'DNS timeout', at);
    const code = errorCode(err);
    return fail('dns', (code && DNS_CODES[code]) ?? `DNS error ${code ?? describe(err)}`, at);
  }
}

async function httpStep(options: ProbeCheckOptions, at: string): Promise<ProbeResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const res = await options.fetch(options.url, {
      signal,
      redirect: 'follow',
      headers: { 'user-agent': 'outage-bot probe' },
    });
    if (res.status >= 500) {
      await res.body?.cancel().catch(() => undefined);
      return { ...fail('http', `HTTP ${res.status}`, at), status: res.status };
    }
    if (options.expect === undefined) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: true, at, status: res.status };
    }
    const body = await readText(res, options.maxBytes);
    if (!body.includes(options.expect)) {
      const detail = `HTTP ${res.status} without the expected text "${options.expect}"`;
      return { ...fail('body', detail, at), status: res.status };
    }
    return { ok: true, at, status: res.status };
  } catch (err) {
    if (timeout.aborted) return fail('timeout', `no answer within ${options.timeoutMs} ms`, at);
    return classifyFetchError(err, at);
  }
}

function classifyFetchError(err: unknown, at: string): ProbeResult {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  if (cause instanceof UnsafeUrlError) return fail('config', cause.message, at);
  const code = errorCode(cause);
  if (code && CONNECT_CODES[code]) {
    const { stage, detail } = CONNECT_CODES[code];
    return fail(stage, detail, at);
  }
  if (code && DNS_CODES[code] && code !== 'ECONNREFUSED') return fail('dns', DNS_CODES[code], at);
  if (isTlsError(code, cause)) return fail('tls', `TLS error: ${tlsDetail(code, cause)}`, at);
  return fail('connect', describe(cause), at);
}

function isTlsError(code: string | undefined, cause: unknown): boolean {
  if (
    code &&
    /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/.test(code)
  )
    return true;
  return /certificate|ssl|tls/i.test(describe(cause));
}

const tlsDetail = (code: string | undefined, cause: unknown): string =>
  code === 'CERT_HAS_EXPIRED' ? 'certificate expired' : (code ?? describe(cause));

async function readText(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (total >= maxBytes) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return text;
}

class ProbeTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const errorCode = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
};

const describe = (err: unknown): string =>
  err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
