import { describe, expect, it } from 'vitest';
import { SimulatedInternet } from '../../../src/replay/simulated-internet.js';
import { runProbeCheck } from '../../../src/sources/probe-check.js';

const AT = new Date('2021-10-04T15:41:00Z');

/** The real probe check (DNS, then HTTPS) against the simulated internet. */
const probe = (internet: SimulatedInternet, url: string) =>
  runProbeCheck({
    url,
    fetch: internet.fetch,
    resolveHost: internet.resolveHost,
    timeoutMs: 1_000,
    maxBytes: 1_000,
    now: () => AT,
  });

describe('SimulatedInternet', () => {
  it('answers a host nobody described: it resolves and serves 200', async () => {
    const internet = new SimulatedInternet();
    expect(await probe(internet, 'https://www.wikipedia.org/')).toEqual({
      ok: true,
      at: '2021-10-04T15:41:00.000Z',
      status: 200,
    });
    expect(await internet.lookup('www.wikipedia.org', { all: true })).toEqual([
      { address: '192.0.2.1', family: 4 },
    ]);
  });

  it('fails a name the way the resolvers do, so the probe reads DNS SERVFAIL', async () => {
    const internet = new SimulatedInternet();
    internet.setHost('www.facebook.com', { dns: 'servfail', status: 200 });
    expect(await probe(internet, 'https://www.facebook.com/')).toEqual({
      ok: false,
      stage: 'dns',
      detail: 'DNS SERVFAIL',
      at: '2021-10-04T15:41:00.000Z',
    });
    const fetched = await internet.fetch('https://www.facebook.com/').catch((err: unknown) => err);
    expect(fetched).toBeInstanceOf(TypeError);
    expect((fetched as TypeError).cause).toMatchObject({ code: 'EAI_AGAIN' });
    await expect(internet.lookup('WWW.facebook.com', { all: true })).rejects.toMatchObject({
      code: 'EAI_AGAIN',
    });
    internet.setHost('gone.example', { dns: 'nxdomain', status: 200 });
    expect(await probe(internet, 'https://gone.example/')).toMatchObject({
      detail: 'DNS NXDOMAIN',
    });
  });

  it('serves a host-wide status once the name resolves: a 503 is an HTTP failure', async () => {
    const internet = new SimulatedInternet();
    internet.setHost('www.facebook.com', { dns: 'ok', status: 503 });
    expect(await probe(internet, 'https://www.facebook.com/')).toEqual({
      ok: false,
      stage: 'http',
      detail: 'HTTP 503',
      status: 503,
      at: '2021-10-04T15:41:00.000Z',
    });
  });

  it('serves a payload by exact URL first, then by the longest prefix, ignoring the query', async () => {
    const internet = new SimulatedInternet();
    internet.setUrl('https://status.example/data/*', { status: 200, body: 'tree' });
    internet.setUrl('https://status.example/data/outages/*', {
      status: 200,
      body: '[]',
      contentType: 'application/json',
    });
    internet.setUrl('https://status.example/data/orgs.json', { status: 200, body: 'orgs' });
    const text = async (url: string) => (await internet.fetch(url)).text();
    expect(await text('https://status.example/data/orgs.json?x=1')).toBe('orgs');
    expect(await text('https://status.example/data/outages/messenger.json')).toBe('[]');
    expect(await text('https://status.example/data/other')).toBe('tree');
    const res = await internet.fetch('https://status.example/data/outages/a.json');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await (await internet.fetch('https://elsewhere.example/')).text()).toBe('');
    const head = await internet.fetch('https://status.example/data/orgs.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('counts what it answered, so a replay can tell when the bot has gone quiet', async () => {
    const internet = new SimulatedInternet();
    await probe(internet, 'https://www.instagram.com/');
    expect(internet.requests).toBe(2);
  });
});
