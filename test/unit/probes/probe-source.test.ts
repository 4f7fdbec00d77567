import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PollResult } from '../../../src/incidents/model.js';
import { reconcile } from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import { createConnectivity } from '../../../src/sources/connectivity.js';
import { createPinnedFetch } from '../../../src/sources/pinned-fetch.js';
import type { ResolveHost } from '../../../src/sources/probe-check.js';
import { createSource } from '../../../src/sources/registry.js';
import { type ProbeTarget, startProbeTarget } from '../../fakes/probe-target.js';
import { catalogService } from '../../helpers/services.js';
import { fakeLookup, sourceDeps } from '../sources/helpers.js';

const dnsError = (code: string): Error => Object.assign(new Error(`queryA ${code}`), { code });

/** A resolver whose answer the test changes: addresses, or a DNS error code. */
function switchableResolver() {
  let failure: string | undefined;
  const resolve: ResolveHost = async () => {
    if (failure) throw dnsError(failure);
    return ['127.0.0.1'];
  };
  return {
    resolve,
    fail: (code: string) => {
      failure = code;
    },
    heal: () => {
      failure = undefined;
    },
  };
}

let target: ProbeTarget;
let control: ProbeTarget;
let clock: number;
beforeEach(async () => {
  target = await startProbeTarget();
  control = await startProbeTarget();
  clock = Date.parse('2021-10-04T15:40:00.000Z');
});
afterEach(async () => {
  await target.close();
  await control.close();
});

function probeFor(url: string, resolveHost: ResolveHost, expect?: string) {
  const now = () => new Date(clock);
  const connectivity = createConnectivity({
    controlUrls: [control.url],
    fetch: globalThis.fetch,
    now,
    logger: pino({ level: 'silent' }),
    cacheMs: 0,
  });
  const service = { ...catalogService('facebook', 'Facebook'), sources: [{ kind: 'probe', url }] };
  const config = { kind: 'probe', url, ...(expect ? { expect } : {}) };
  return {
    connectivity,
    source: createSource(service, config, sourceDeps({ now, resolveHost, connectivity })),
  };
}

/** Polls every 15 s and reconciles; returns each poll's event lines. */
async function pollTimes(
  source: { poll(): Promise<PollResult> },
  times: number,
  state: { value?: ServiceState },
) {
  const lines: string[] = [];
  for (let i = 0; i < times; i++) {
    clock += 15_000;
    const result = await source.poll();
    const observation = result.ok
      ? result.notModified
        ? undefined
        : result.snapshot
      : {
          ok: false as const,
          serviceId: 'facebook',
          failure: result.failure,
          at: new Date(clock).toISOString(),
        };
    if (!observation) continue;
    const next = reconcile(state.value, observation, { serviceName: 'Facebook' });
    state.value = next.state;
    lines.push(...next.events.map((e) => `${e.type}: ${e.subject.title}: ${e.update?.body}`));
  }
  return lines;
}

describe('probe source', () => {
  it('a server that starts refusing connections opens an incident after three checks and resolves after two good ones', async () => {
    const { source } = probeFor(target.url, switchableResolver().resolve);
    const state: { value?: ServiceState } = {};
    expect(await pollTimes(source, 2, state)).toEqual([]);
    await target.refuse();
    expect(await pollTimes(source, 3, state)).toEqual([
      'started: localhost: connection refused: Probe: connection refused for localhost since 15:40 UTC (3 failed checks in a row).',
    ]);
    await target.restore();
    expect(await pollTimes(source, 2, state)).toEqual([
      'resolved: localhost: connection refused: Probe: localhost answers again (HTTP 200), 2 good checks in a row.',
    ]);
  });

  it('an address literal is checked without a DNS step, so a resolver that cannot answer for it opens nothing', async () => {
    const asked: string[] = [];
    const brokenResolver: ResolveHost = async (hostname) => {
      asked.push(hostname);
      throw dnsError('ENOTFOUND');
    };
    const literal = target.url.replace('localhost', '127.0.0.1');
    const { source } = probeFor(literal, brokenResolver);
    const state: { value?: ServiceState } = {};
    expect(await pollTimes(source, 4, state)).toEqual([]);
    expect(asked).toEqual([]);
    await target.refuse();
    expect(await pollTimes(source, 3, state)).toEqual([
      'started: 127.0.0.1: connection refused: Probe: connection refused for 127.0.0.1 since 15:41 UTC (3 failed checks in a row).',
    ]);
    // An IPv6 literal too: the check goes straight to connect.
    const v6 = await probeFor('http://[::1]:9/', brokenResolver).source.poll();
    expect(v6.ok && !v6.notModified ? v6.snapshot.probe?.result : v6).toMatchObject({
      ok: false,
      stage: 'connect',
    });
    expect(asked).toEqual([]);
  });

  it('a name that stops resolving reads as DNS SERVFAIL, then NXDOMAIN, in one thread', async () => {
    const dns = switchableResolver();
    const { source } = probeFor(target.url, dns.resolve);
    const state: { value?: ServiceState } = {};
    await pollTimes(source, 1, state);
    dns.fail('ESERVFAIL');
    const opened = await pollTimes(source, 3, state);
    dns.fail('ENOTFOUND');
    const changed = await pollTimes(source, 1, state);
    dns.heal();
    const healed = await pollTimes(source, 2, state);
    expect([...opened, ...changed, ...healed]).toEqual([
      'started: localhost: DNS SERVFAIL: Probe: DNS SERVFAIL for localhost since 15:40 UTC (3 failed checks in a row).',
      'updated: localhost: DNS NXDOMAIN: Probe: now DNS NXDOMAIN for localhost (failing since 15:40 UTC).',
      'resolved: localhost: DNS NXDOMAIN: Probe: localhost answers again (HTTP 200), 2 good checks in a row.',
    ]);
  });

  it('HTTP 503 and a missing expected text are failures; 404 is an answer', async () => {
    const { source } = probeFor(target.url, switchableResolver().resolve, 'Log in');
    target.answer(503);
    const a = await source.poll();
    target.answer(200, '<html>maintenance</html>');
    const b = await source.poll();
    target.answer(200, '<html>Log in to Facebook</html>');
    const c = await source.poll();
    const plain = probeFor(target.url, switchableResolver().resolve).source;
    target.answer(404);
    const d = await plain.poll();
    const checks = [a, b, c, d].map((r) => (r.ok && !r.notModified ? r.snapshot.probe?.result : r));
    expect(
      checks.map((r) => (r && 'detail' in r ? r.detail : r && 'status' in r ? r.status : r)),
    ).toEqual(['HTTP 503', 'HTTP 200 without the expected text "Log in"', 200, 404]);
  });

  it('when the control targets fail too, it is the bot that is offline: no incident, one log verdict', async () => {
    const { source, connectivity } = probeFor(target.url, switchableResolver().resolve);
    const state: { value?: ServiceState } = {};
    await pollTimes(source, 1, state);
    await target.refuse();
    await control.refuse();
    const result = await source.poll();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'offline' } });
    expect(await pollTimes(source, 5, state)).toEqual([]);
    expect(connectivity.offlineSince).toBeDefined();
    expect(Object.keys(state.value?.subjects ?? {})).toEqual([]);
    await control.restore();
    expect(await pollTimes(source, 3, state)).toHaveLength(1);
    expect(connectivity.offlineSince).toBeUndefined();
  });

  it('the offline verdict clears when the network is back, even if the probe never fails again', async () => {
    const { source, connectivity } = probeFor(target.url, switchableResolver().resolve);
    await target.refuse();
    await control.refuse();
    expect(await source.poll()).toMatchObject({ ok: false, failure: { kind: 'offline' } });
    expect(connectivity.offlineSince).toBeDefined();
    await target.restore();
    await control.restore();
    expect(await source.poll()).toMatchObject({ ok: true });
    expect(connectivity.offlineSince).toBeUndefined();
  });

  it('a server that accepts but never answers is a timeout', async () => {
    const { source } = probeFor(target.url, switchableResolver().resolve);
    target.hang();
    const result = await source.poll();
    expect(result.ok && !result.notModified && result.snapshot.probe?.result).toMatchObject({
      ok: false,
      stage: 'timeout',
    });
  });
});

describe('probe source address rules', () => {
  const untrusted = (url: string) => ({
    ...catalogService('intranet', 'Intranet'),
    sources: [{ kind: 'probe', url }],
    trusted: false,
  });
  const publicHost = { 'probe.example': ['93.184.216.34'] };

  it('an untrusted service may not probe a private address: a typed refusal, nothing sent', async () => {
    const url = target.url.replace('localhost', '127.0.0.1');
    const lookup = fakeLookup({});
    const deps = { lookup, untrustedFetch: createPinnedFetch(lookup), resolveHost: async () => [] };
    const refused = await createSource(
      untrusted(url),
      { kind: 'probe', url },
      sourceDeps(deps),
    ).poll();
    expect(refused).toEqual({
      ok: false,
      failure: { kind: 'network', message: 'refused: 127.0.0.1 is not a public address' },
    });
    expect(target.requests).toBe(0);

    const allowed = createSource(
      untrusted(url),
      { kind: 'probe', url },
      sourceDeps({ ...deps, allowPrivateUrls: true }),
    );
    expect(await allowed.poll()).toMatchObject({
      ok: true,
      snapshot: { probe: { result: { ok: true } } },
    });
    expect(target.requests).toBe(1);
  });

  it('a name that passes the check and then rebinds to loopback is refused at connect, not counted', async () => {
    const port = new URL(target.url).port;
    const url = `http://probe.example:${port}/`;
    let lookups = 0;
    const rebinding = fakeLookup(publicHost);
    const lookup: typeof rebinding = async (hostname, options) =>
      lookups++ === 0 ? rebinding(hostname, options) : [{ address: '127.0.0.1', family: 4 }];
    const deps = sourceDeps({
      lookup,
      untrustedFetch: createPinnedFetch(lookup),
      resolveHost: async () => ['93.184.216.34'],
    });
    const result = await createSource(untrusted(url), { kind: 'probe', url }, deps).poll();
    expect(result).toEqual({
      ok: false,
      failure: {
        kind: 'network',
        message: 'refused: probe.example resolves to 127.0.0.1, which is not a public address',
      },
    });
    expect(target.requests).toBe(0);
  });
});
