import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DetectGet, detectSource } from '../../../src/sources/detect.js';
import { fetchWithLimits } from '../../../src/sources/safe-fetch.js';
import { type FixtureServer, startFixtureServer } from '../../fakes/fixture-server.js';
import { TEST_LIMITS } from './helpers.js';

const shared = (path: string) =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

let server: FixtureServer;
beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.close());

const get: DetectGet = (url) =>
  fetchWithLimits(url, { fetch: globalThis.fetch, limits: TEST_LIMITS, allowPrivate: true });

describe('detecting the kind of a status page', () => {
  it.each([
    [
      'statuspage',
      '/api/v2/summary.json',
      'statuspage/github-summary-all-operational-2024-02-05.json',
      'GitHub',
    ],
    ['incidentio', '/api/v1/summary', 'incidentio/docs-example-widget-api-summary.json', undefined],
    ['instatus', '/summary.json', 'instatus/wistia-v3-summary-healthy-2026-09.json', 'Wistia'],
    [
      'betterstack',
      '/index.json',
      'betterstack/index-json-status.betterstack.com-2026-09-trimmed.json',
      'Better Stack',
    ],
  ])('%s, from its API answering in its own shape', async (kind, path, fixture, pageName) => {
    server.set(path, { body: shared(fixture) });
    const found = await detectSource(`${server.url}/`, get);
    expect(found).toEqual({ ok: true, source: { kind, url: server.url }, pageName });
  });

  it('incident.io through its page proxy, and through a ULID page id on the compatible API', async () => {
    const host = new URL(server.url).host;
    server.set(`/proxy/${host}`, { body: JSON.stringify({ summary: { id: 'x', name: 'Acme' } }) });
    expect(await detectSource(server.url, get)).toMatchObject({ source: { kind: 'incidentio' } });
    server.set(`/proxy/${host}`, undefined);
    server.set('/api/v2/summary.json', {
      body: JSON.stringify({ page: { id: '01M36RMC01ZFWQ861WYJKC4XE1', name: 'Acme' } }),
    });
    expect(await detectSource(server.url, get)).toMatchObject({ source: { kind: 'incidentio' } });
  });

  it('Cachet from its ping', async () => {
    server.set('/api/v1/ping', { body: '{"data":"Pong!"}' });
    expect(await detectSource(`${server.url}/`, get)).toEqual({
      ok: true,
      source: { kind: 'cachet', url: server.url },
    });
  });

  it('a feed linked from the page HTML, only if the link answers as a feed', async () => {
    const html = (href: string) => ({
      headers: { 'content-type': 'text/html' },
      body: `<html><head><title>Acme status</title><link rel="alternate" type="application/atom+xml" href="${href}"></head><body>All good</body></html>`,
    });
    server.set('/', html('/history.atom'));
    server.set('/history.atom', {
      headers: { 'content-type': 'application/atom+xml' },
      body: shared('statuspage/github-history-atom-2025-10-excerpt.xml'),
    });
    expect(await detectSource(`${server.url}/`, get)).toEqual({
      ok: true,
      source: { kind: 'feed', url: `${server.url}/history.atom` },
      pageName: 'Acme status',
    });
    server.set('/', html('/missing.atom'));
    expect(await detectSource(`${server.url}/`, get)).toMatchObject({ ok: false });
  });

  it('status.io from the API id its page embeds, or from its own URL', async () => {
    server.set('/', {
      headers: { 'content-type': 'text/html' },
      body: '<script src="https://api.status.io/1.0/status/5b36dc6502d06804c08349f7"></script>',
    });
    const url = 'https://api.status.io/1.0/status/5b36dc6502d06804c08349f7';
    expect(await detectSource(`${server.url}/`, get)).toEqual({
      ok: true,
      source: { kind: 'statusio', url },
    });
    expect(await detectSource('https://status.io/pages/5b36dc6502d06804c08349f7', get)).toEqual({
      ok: true,
      source: { kind: 'statusio', url },
    });
  });

  it('a page that is none of them says what was tried', async () => {
    server.setFallback({ headers: { 'content-type': 'text/html' }, body: '<html>hello</html>' });
    const found = await detectSource(`${server.url}/`, get);
    expect(found.ok).toBe(false);
    expect(!found.ok && found.tried.map((t) => t.split(':')[0])).toEqual([
      'incident.io widget API',
      'incident.io page proxy',
      'Statuspage API',
      'Instatus summary',
      'Better Stack index',
      'Cachet API',
      'the page itself (RSS/Atom link)',
    ]);
  });
});
