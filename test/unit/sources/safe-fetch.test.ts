import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinnedFetch } from '../../../src/sources/pinned-fetch.js';
import { fetchWithLimits, parseRetryAfter } from '../../../src/sources/safe-fetch.js';
import type { FetchLimits } from '../../../src/sources/source.js';
import { type StatusServer, startStatusServer } from '../../fakes/status-server.js';
import { fakeLookup, type StaticServer, startStaticServer } from './helpers.js';

const LIMITS: FetchLimits = { timeoutMs: 300, maxBytes: 1024 * 1024, maxRedirects: 3 };
const SUMMARY = '/api/v2/summary.json';
/** For tests about what comes back, not about time: a loaded machine may take over 300 ms. */
const ROOMY = { limits: { ...LIMITS, timeoutMs: 10_000 } };

let page: StatusServer;
let statics: StaticServer;

beforeAll(async () => {
  page = await startStatusServer();
  statics = await startStaticServer({
    '/a': { status: 302, headers: { location: '/b' } },
    '/b': { status: 301, headers: { location: `/c?x=1` } },
    '/c?x=1': { body: '{"ok":true}' },
    '/no-location': { status: 302 },
    '/to-file': { status: 302, headers: { location: 'file:///etc/passwd' } },
    '/retry-date': { status: 503, headers: { 'retry-after': 'Thu, 01 Oct 2026 12:00:30 GMT' } },
    '/not-modified': { status: 304 },
  });
});
afterAll(async () => {
  await page.close();
  await statics.close();
});

const get = (url: string, extra: Partial<Parameters<typeof fetchWithLimits>[1]> = {}) =>
  fetchWithLimits(url, { fetch: globalThis.fetch, limits: LIMITS, allowPrivate: true, ...extra });

describe('fetchWithLimits', () => {
  it('returns status, headers and body of a 200', async () => {
    const res = await get(`${page.url}${SUMMARY}`, ROOMY);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/);
    expect(JSON.parse(res.body).page.name).toBe('Fake Status');
  });

  it('follows redirects within the limit and reports the final URL', async () => {
    const res = await get(`${statics.url}/a`, ROOMY);
    expect(res).toMatchObject({
      ok: true,
      status: 200,
      body: '{"ok":true}',
      url: `${statics.url}/c?x=1`,
    });
  });

  it('treats 304 as success with an empty body', async () => {
    expect(await get(`${statics.url}/not-modified`, ROOMY)).toMatchObject({
      ok: true,
      status: 304,
      body: '',
    });
  });

  describe('typed failures', () => {
    it('hang -> timeout, within the limit', async () => {
      page.fail('summary', 'hang', { times: 1 });
      const started = Date.now();
      const res = await get(`${page.url}${SUMMARY}`);
      expect(res).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('slow body -> timeout (the deadline covers the body too)', async () => {
      page.fail('summary', 'slow', { delayMs: 5_000, times: 1 });
      const started = Date.now();
      const res = await get(`${page.url}${SUMMARY}`);
      expect(res).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('500 -> http_status', async () => {
      page.fail('summary', 'error500', { times: 1 });
      expect(await get(`${page.url}${SUMMARY}`)).toMatchObject({
        ok: false,
        failure: { kind: 'http_status', status: 500 },
      });
    });

    it('429 -> http_status with Retry-After in ms', async () => {
      page.fail('summary', 'status', { status: 429, retryAfter: '2', times: 1 });
      expect(await get(`${page.url}${SUMMARY}`)).toMatchObject({
        ok: false,
        failure: { kind: 'http_status', status: 429, retryAfterMs: 2_000 },
      });
    });

    it('Retry-After as an HTTP date, against the injected clock', async () => {
      const res = await get(`${statics.url}/retry-date`, {
        now: () => new Date('2026-10-01T12:00:00Z'),
      });
      expect(res).toMatchObject({
        failure: { kind: 'http_status', status: 503, retryAfterMs: 30_000 },
      });
    });

    it('20 MB streamed without Content-Length -> too_large', async () => {
      page.fail('summary', 'huge', { times: 1 });
      const res = await get(`${page.url}${SUMMARY}`, { limits: { ...LIMITS, timeoutMs: 5_000 } });
      expect(res).toMatchObject({ ok: false, failure: { kind: 'too_large' } });
      if (!res.ok) expect(res.failure.message).toMatch(/exceeds 1048576 bytes/);
    });

    it('20 MB declared in Content-Length -> too_large before reading', async () => {
      page.fail('summary', 'huge_declared', { times: 1 });
      const res = await get(`${page.url}${SUMMARY}`);
      expect(res).toMatchObject({ ok: false, failure: { kind: 'too_large' } });
      if (!res.ok) expect(res.failure.message).toMatch(/Content-Length 20971520/);
    });

    it('redirect loop -> http_status after maxRedirects', async () => {
      page.fail('summary', 'redirect_loop', { times: 10 });
      const before = page.requestCount('summary');
      const res = await get(`${page.url}${SUMMARY}`);
      page.heal('summary');
      expect(res).toMatchObject({ ok: false, failure: { kind: 'http_status', status: 302 } });
      if (!res.ok) expect(res.failure.message).toMatch(/more than 3 redirects/);
      expect(page.requestCount('summary') - before).toBe(4);
    });

    it('redirect without Location, or to another scheme, fails', async () => {
      expect(await get(`${statics.url}/no-location`)).toMatchObject({
        failure: { kind: 'http_status', status: 302 },
      });
      expect(await get(`${statics.url}/to-file`)).toMatchObject({
        failure: { kind: 'network', message: expect.stringMatching(/not an http\(s\) URL/) },
      });
    });

    it('connection reset -> network', async () => {
      page.fail('summary', 'reset', { times: 1 });
      expect(await get(`${page.url}${SUMMARY}`)).toMatchObject({
        ok: false,
        failure: { kind: 'network' },
      });
    });

    it('nothing listening -> network', async () => {
      const closed = await startStaticServer({});
      await closed.close();
      const res = await get(`${closed.url}/x`);
      expect(res).toMatchObject({ ok: false, failure: { kind: 'network' } });
      if (!res.ok) expect(res.failure.message).toMatch(/ECONNREFUSED|fetch failed/);
    });

    it("the caller's signal aborts", async () => {
      page.fail('summary', 'hang', { times: 1 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      const res = await get(`${page.url}${SUMMARY}`, {
        signal: controller.signal,
        limits: { ...LIMITS, timeoutMs: 10_000 },
      });
      expect(res).toMatchObject({
        ok: false,
        failure: { kind: 'timeout', message: 'aborted by the caller' },
      });
    });

    it('a fetch that throws synchronously is still a typed failure', async () => {
      const res = await get('https://status.example.com/', {
        fetch: () => {
          throw new TypeError('boom');
        },
      });
      expect(res).toMatchObject({ ok: false, failure: { kind: 'network', message: 'boom' } });
    });
  });

  describe('allowPrivate: false', () => {
    const lookup = fakeLookup({ 'status.example.com': ['93.184.216.34'] });

    it('refuses a loopback URL without sending anything', async () => {
      const before = page.requestCount('summary');
      const res = await get(`${page.url}${SUMMARY}`, {
        allowPrivate: false,
        lookup,
        untrustedFetch: createPinnedFetch(lookup),
      });
      expect(res).toMatchObject({ ok: false, failure: { kind: 'network' } });
      if (!res.ok)
        expect(res.failure.message).toMatch(/^refused: 127\.0\.0\.1 is not a public address/);
      expect(page.requestCount('summary')).toBe(before);
    });

    it('re-checks every redirect hop (no bounce to the metadata service)', async () => {
      const seen: string[] = [];
      const fetchStub: typeof fetch = async (input) => {
        seen.push(String(input));
        return new Response(null, {
          status: 302,
          headers: { location: 'http://169.254.169.254/latest/meta-data/' },
        });
      };
      const res = await get('https://status.example.com/api/v2/summary.json', {
        allowPrivate: false,
        lookup,
        untrustedFetch: fetchStub,
      });
      expect(res).toMatchObject({ ok: false, failure: { kind: 'network' } });
      if (!res.ok)
        expect(res.failure.message).toMatch(/169\.254\.169\.254 is not a public address/);
      expect(seen).toEqual(['https://status.example.com/api/v2/summary.json']);
    });

    it('passes public hosts through', async () => {
      const fetchStub: typeof fetch = async () => new Response('{}', { status: 200 });
      const res = await get('https://status.example.com/', {
        allowPrivate: false,
        lookup,
        untrustedFetch: fetchStub,
      });
      expect(res).toMatchObject({ ok: true, status: 200, body: '{}' });
    });

    it('refuses when no lookup was provided', async () => {
      const res = await get('https://status.example.com/', { allowPrivate: false });
      expect(res).toMatchObject({ ok: false, failure: { kind: 'network' } });
    });
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-10-01T12:00:00Z');
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Thu, 01 Oct 2026 12:01:00 GMT', 60_000],
    ['Thu, 01 Oct 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%j -> %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
