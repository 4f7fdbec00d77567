import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOptions } from '../../../commands/command.js';
import { runCommand } from '../../../commands/registry.js';
import { resolveStatusPageUrl } from '../../../src/sources/url-services.js';
import { type FixtureServer, startFixtureServer } from '../../fakes/fixture-server.js';
import { type StatusServer, startStatusServer } from '../../fakes/status-server.js';
import { fakeLookup, sourceDeps } from '../sources/helpers.js';
import {
  CHANNEL,
  type Harness,
  harnessPerTest,
  OTHER_CHANNEL,
  registered,
} from './command-fixtures.js';

/**
 * `/outage subscribe <url>` through the real resolver: detection against local fake pages of
 * each kind, and the address rules a chat-given URL obeys.
 */

const subscribe = registered('subscribe');
const fixture = (path: string) =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
const written = (kind: string, name: string): Record<string, unknown> =>
  JSON.parse(fixture(`${kind}/${name}.json`));

/** The address a made-up public name stands for; the fetch below carries it to the local page. */
const PUBLIC_HOST = 'status.acme-public.test';
const PUBLIC_ADDRESS = '93.184.215.14';

/** A network where PUBLIC_HOST is a public address that happens to be served by a local page. */
function network(local: { url: string }) {
  const target = new URL(local.url);
  const lookup = fakeLookup({
    [PUBLIC_HOST]: [PUBLIC_ADDRESS],
    'loopback.test': ['127.0.0.1'],
    'intranet.test': ['10.0.0.1'],
    'metadata.test': ['169.254.169.254'],
    '127.0.0.1': ['127.0.0.1'],
  });
  const untrustedFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname === PUBLIC_HOST) {
      url.protocol = target.protocol;
      url.host = target.host;
    }
    return fetch(url, init);
  };
  return { lookup, untrustedFetch };
}

function useResolver(h: Harness, local: { url: string }, allowPrivate: boolean) {
  const { lookup, untrustedFetch } = network(local);
  h.services.resolveStatusPageUrl = (url) =>
    resolveStatusPageUrl(url, {
      catalog: h.catalog,
      store: h.test.store,
      sourceDeps: sourceDeps({
        now: () => new Date(),
        allowPrivateUrls: allowPrivate,
        lookup,
        untrustedFetch,
      }),
      lookup,
      allowPrivate,
    });
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fixturePage(routes: Record<string, unknown>): Promise<FixtureServer> {
  const server = await startFixtureServer();
  servers.push(server);
  for (const [path, body] of Object.entries(routes)) {
    server.set(path, typeof body === 'string' ? { body } : { body: JSON.stringify(body) });
  }
  return server;
}

async function statusPage(): Promise<StatusServer> {
  const page = await startStatusServer({ name: 'Acme Cloud' });
  servers.push(page);
  return page;
}

describe('subscribe by status page URL', () => {
  const h = harnessPerTest();
  const run = (options: CommandOptions, ctx = h.ctx) => runCommand(subscribe, ctx, options);

  it.each<[string, () => Promise<{ url: string }>, string]>([
    ['statuspage', statusPage, 'Acme Cloud'],
    ['incidentio', () => fixturePage(written('incidentio', 'written-incident-open')), 'Acme'],
    ['instatus', () => fixturePage(written('instatus', 'written-incident-open')), 'Acme'],
    ['betterstack', () => fixturePage(written('betterstack', 'written-incident-open')), 'Acme'],
    [
      'cachet',
      () =>
        fixturePage({
          ...written('cachet', 'written-incident-open'),
          '/api/v1/ping': { data: 'Pong!' },
        }),
      '127.0.0.1',
    ],
    [
      'feed',
      async () => {
        const page = await fixturePage({ '/feed.xml': fixture('feed/generic-written-open.xml') });
        page.set('/', {
          headers: { 'content-type': 'text/html' },
          body: '<html><head><title>Acme &amp; Co status</title><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>',
        });
        return page;
      },
      'Acme & Co status',
    ],
  ])(
    'a %s page becomes one service of that kind, named as the page names itself',
    async (kind, start, name) => {
      const page = await start();
      useResolver(h, page, true);
      const reply = await run({ service: `${page.url}/` });
      expect(reply.text.split('\n')[0]).toBe(`This channel now follows ${name}: all incidents.`);
      const [stored] = await h.test.store.listChatServices();
      expect(stored).toMatchObject({ name, trusted: false, sources: [{ kind }] });
      expect(h.catalog.get(stored?.id ?? '')?.sources[0]?.kind).toBe(kind);
      const [sub] = await h.test.store.listSubscriptionsForChannel(CHANNEL);
      expect(sub?.serviceId).toBe(stored?.id);
    },
  );

  it('one page named several ways, from two channels, is one service', async () => {
    const page = await statusPage();
    useResolver(h, page, true);
    const host = new URL(page.url).host;
    const names = [page.url, `${page.url}/`, `https://${host}`, `${page.url}/api/v2/summary.json`];
    for (const [i, name] of names.entries()) {
      const reply = await run({ service: name }, h.ctxFor(i % 2 ? OTHER_CHANNEL : CHANNEL));
      expect(reply.error).toBeUndefined();
    }
    const stored = await h.test.store.listChatServices();
    expect(stored.map((s) => s.id)).toHaveLength(1);
    for (const channel of [CHANNEL, OTHER_CHANNEL]) {
      const subs = await h.test.store.listSubscriptionsForChannel(channel);
      expect(subs.map((s) => s.serviceId)).toEqual([stored[0]?.id]);
    }
  });

  it('says what was tried when the URL is not a status page', async () => {
    const page = await fixturePage({});
    page.setFallback({ headers: { 'content-type': 'text/html' }, body: '<html>hello</html>' });
    useResolver(h, page, true);
    const reply = await run({ service: page.url });
    expect(reply.error).toBe(true);
    expect(reply.text).toBe(
      `Can't use "${page.url}". ${page.url} is not a status page I can read. Tried: ` +
        [
          `incident.io widget API: ${page.url}/api/v1/summary`,
          `incident.io page proxy: ${page.url}/proxy/${new URL(page.url).host}`,
          `Statuspage API: ${page.url}/api/v2/summary.json`,
          `Instatus summary: ${page.url}/summary.json`,
          `Better Stack index: ${page.url}/index.json`,
          `Cachet API: ${page.url}/api/v1/ping`,
          `the page itself (RSS/Atom link): ${page.url}/`,
        ].join('; ') +
        '.',
    );
    expect(await h.test.store.listChatServices()).toEqual([]);
  });
});

describe('subscribe by URL: public addresses only (ALLOW_PRIVATE_SOURCE_URLS=false)', () => {
  const h = harnessPerTest();
  const run = (options: CommandOptions, ctx = h.ctx) => runCommand(subscribe, ctx, options);

  async function expectNothingStored() {
    expect(await h.test.store.listChatServices()).toEqual([]);
    expect(h.catalog.all().filter((s) => !s.trusted)).toEqual([]);
    expect(await h.test.store.listSubscriptionsForChannel(CHANNEL)).toEqual([]);
  }

  it.each([
    [
      'http://loopback.test:PORT/',
      'loopback.test resolves to 127.0.0.1, which is not a public address',
    ],
    [
      'http://intranet.test:PORT/',
      'intranet.test resolves to 10.0.0.1, which is not a public address',
    ],
    [
      'http://metadata.test:PORT/',
      'metadata.test resolves to 169.254.169.254, which is not a public address',
    ],
    ['http://127.0.0.1:PORT/', '127.0.0.1'],
    ['http://[::1]:PORT/', '::1'],
  ])('refuses %s and stores nothing', async (template, why) => {
    const page = await statusPage();
    useResolver(h, page, false);
    const url = template.replace('PORT', new URL(page.url).port);
    const reply = await run({ service: url });
    expect(reply.error).toBe(true);
    expect(reply.text).toMatch(
      /^Can't use ".*"\. That URL cannot be followed: .*\. Nothing was added\.$/,
    );
    expect(reply.text).toContain(why);
    expect(page.requests).toHaveLength(0);
    await expectNothingStored();
  });

  it('refuses a public URL that redirects to a private address, and stores nothing', async () => {
    const page = await fixturePage({});
    page.setFallback({ status: 302, headers: { location: `${page.url}/private` } });
    useResolver(h, page, false);
    const reply = await run({ service: `https://${PUBLIC_HOST}/` });
    expect(reply.error).toBe(true);
    expect(reply.text).toContain('That URL cannot be followed: 127.0.0.1');
    expect(page.count('/private')).toBe(0);
    await expectNothingStored();
  });

  it('refuses a known page at a private address once the operator turned private URLs off', async () => {
    const page = await statusPage();
    useResolver(h, page, true);
    expect((await run({ service: page.url })).error).toBeUndefined();
    const [added] = await h.test.store.listChatServices();

    useResolver(h, page, false);
    const reply = await run({ service: page.url }, h.ctxFor(OTHER_CHANNEL));
    expect(reply.error).toBe(true);
    expect(reply.text).toContain('That URL cannot be followed: 127.0.0.1');
    expect(await h.test.store.listSubscriptionsForChannel(OTHER_CHANNEL)).toEqual([]);
    expect(await h.test.store.listChatServices()).toEqual([added]);
  });

  it('refuses a known public page that now redirects to a private address', async () => {
    const page = await statusPage();
    useResolver(h, page, false);
    const url = `https://${PUBLIC_HOST}`;
    expect((await run({ service: url })).error).toBeUndefined();
    expect(await h.test.store.listChatServices()).toMatchObject([{ name: 'Acme Cloud' }]);

    const moved = await fixturePage({});
    moved.setFallback({ status: 302, headers: { location: `http://127.0.0.1:6379/` } });
    useResolver(h, moved, false);
    const reply = await run({ service: url }, h.ctxFor(OTHER_CHANNEL));
    expect(reply.error).toBe(true);
    expect(reply.text).toContain('That URL cannot be followed: 127.0.0.1');
    expect(await h.test.store.listSubscriptionsForChannel(OTHER_CHANNEL)).toEqual([]);
  });
});
