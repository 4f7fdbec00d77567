import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinnedFetch } from '../../../src/sources/pinned-fetch.js';
import { type LookupAll, UnsafeUrlError } from '../../../src/sources/public-address.js';
import { fetchWithLimits } from '../../../src/sources/safe-fetch.js';
import { fakeLookup, type StaticServer, startStaticServer, TEST_LIMITS } from './helpers.js';

const PUBLIC_IP = '93.184.216.34';

/** DNS with a TTL of zero: each call for a name gets the next answer (the last one repeats). */
function rebindingLookup(answers: Record<string, string[][]>): LookupAll & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    const queue = answers[hostname] ?? [];
    const turn = calls.filter((h) => h === hostname).length;
    calls.push(hostname);
    const addresses = queue[Math.min(turn, queue.length - 1)];
    if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { calls });
}

/** The test's stand-in for the internet: loopback counts as public, nothing else does. */
const loopbackIsPublic = (address: string) => address === '127.0.0.1';

let server: StaticServer;
let port: string;

beforeAll(async () => {
  server = await startStaticServer({ '/api/v2/summary.json': { body: '{"secret":true}' } });
  port = new URL(server.url).port;
});
afterAll(() => server.close());

const untrusted = (url: string, lookup: LookupAll, untrustedFetch: typeof fetch) =>
  fetchWithLimits(url, {
    fetch: () => Promise.reject(new Error('the plain fetch must not serve untrusted URLs')),
    untrustedFetch,
    lookup,
    limits: TEST_LIMITS,
    allowPrivate: false,
  });

describe('createPinnedFetch', () => {
  it('DNS rebinding: public for the check, loopback for the fetch -> refused, nothing sent', async () => {
    const lookup = rebindingLookup({ 'rebind.test': [[PUBLIC_IP], ['127.0.0.1']] });
    const before = server.hits.length;
    const res = await untrusted(
      `http://rebind.test:${port}/api/v2/summary.json`,
      lookup,
      createPinnedFetch(lookup),
    );
    expect(res).toMatchObject({
      ok: false,
      failure: {
        kind: 'network',
        message: 'refused: rebind.test resolves to 127.0.0.1, which is not a public address',
      },
    });
    // The pre-check saw the public answer; the connection's own lookup saw loopback.
    expect(lookup.calls).toEqual(['rebind.test', 'rebind.test']);
    expect(server.hits.length).toBe(before);
  });

  it('connects to a public answer and returns the body', async () => {
    const before = server.hits.length;
    const res = await untrusted(
      `http://status.test:${port}/api/v2/summary.json`,
      fakeLookup({ 'status.test': [PUBLIC_IP] }),
      createPinnedFetch(fakeLookup({ 'status.test': ['127.0.0.1'] }), {
        isPublic: loopbackIsPublic,
      }),
    );
    expect(res).toMatchObject({ ok: true, status: 200, body: '{"secret":true}' });
    expect(server.hits.length).toBe(before + 1);
  });

  it('refuses a name with any private answer, even next to a public one', async () => {
    const pinned = createPinnedFetch(fakeLookup({ 'mixed.test': [PUBLIC_IP, '127.0.0.1'] }));
    const before = server.hits.length;
    const err = await pinned(`http://mixed.test:${port}/api/v2/summary.json`).catch((e) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err.cause).toBeInstanceOf(UnsafeUrlError);
    expect(err.cause.message).toMatch(/mixed\.test resolves to 127\.0\.0\.1/);
    expect(server.hits.length).toBe(before);
  });

  it('refuses private IP literals, which never reach the lookup', async () => {
    const lookup = rebindingLookup({});
    const pinned = createPinnedFetch(lookup);
    const before = server.hits.length;
    for (const host of [`127.0.0.1:${port}`, `[::ffff:127.0.0.1]:${port}`]) {
      const err = await pinned(`http://${host}/api/v2/summary.json`).catch((e) => e);
      expect(err.cause).toBeInstanceOf(UnsafeUrlError);
    }
    expect(lookup.calls).toEqual([]);
    expect(server.hits.length).toBe(before);
  });

  it('passes a lookup failure through as a network failure', async () => {
    const pinned = createPinnedFetch(fakeLookup({}));
    const err = await pinned(`http://nowhere.test:${port}/`).catch((e) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(String(err.cause?.message)).toMatch(/ENOTFOUND nowhere\.test/);
  });
});

describe('fetchWithLimits with allowPrivate: false', () => {
  it('sends every redirect hop through the untrusted fetch', async () => {
    const seen: string[] = [];
    const recording: typeof fetch = async (input) => {
      seen.push(String(input));
      return seen.length === 1
        ? new Response(null, { status: 302, headers: { location: '/next' } })
        : new Response('{}', { status: 200 });
    };
    const res = await untrusted(
      'https://status.example.com/start',
      fakeLookup({ 'status.example.com': [PUBLIC_IP] }),
      recording,
    );
    expect(res).toMatchObject({ ok: true, body: '{}' });
    expect(seen).toEqual(['https://status.example.com/start', 'https://status.example.com/next']);
  });

  it('fails closed without an untrusted fetch', async () => {
    const res = await fetchWithLimits('https://status.example.com/', {
      fetch: globalThis.fetch,
      lookup: fakeLookup({ 'status.example.com': [PUBLIC_IP] }),
      limits: TEST_LIMITS,
      allowPrivate: false,
    });
    expect(res).toMatchObject({
      ok: false,
      failure: { kind: 'network', message: 'refused: no pinned fetch for untrusted URLs' },
    });
  });
});
