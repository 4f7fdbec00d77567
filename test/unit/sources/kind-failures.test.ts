import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../../src/incidents/model.js';
import { TEST_LIMITS } from './helpers.js';
import { fixtureServerPerTest, registrySource } from './kind-helpers.js';

const fx = fixtureServerPerTest();

/** Each kind, the path it requests for a configured URL, and the start of a valid body. */
const KINDS: { kind: string; path: string; config?: Partial<SourceConfig>; valid: string }[] = [
  {
    kind: 'feed',
    path: '/feed',
    valid: '<rss version="2.0"><channel><title>x</title><item><title>a</title>',
  },
  {
    kind: 'gcp',
    path: '/incidents.json',
    valid: '[{"id":"a","begin":"2026-10-01T10:00:00Z","updates":[',
  },
  {
    kind: 'aws',
    path: '/currentevents',
    valid: '[{"arn":"arn:aws:health:us-east-1::event/x","status":"2"',
  },
  {
    kind: 'slack',
    path: '/api/v2.0.0/current',
    valid: '{"status":"active","active_incidents":[{"id":1,',
  },
];

const sourceFor = (kind: string, path: string, timeoutMs = TEST_LIMITS.timeoutMs) =>
  registrySource(
    { kind, url: `${fx.server.url}${kind === 'gcp' ? '/' : path}` },
    { limits: { ...TEST_LIMITS, timeoutMs } },
  );

describe.each(KINDS)('$kind source failures', ({ kind, path, valid }) => {
  it('a 500 is an http_status failure with the status', async () => {
    fx.server.set(path, { status: 500, body: 'oops' });
    expect(await sourceFor(kind, path).poll()).toEqual({
      ok: false,
      failure: { kind: 'http_status', status: 500, message: 'HTTP 500 Internal Server Error' },
    });
  });

  it('an HTML page is a bad_body failure', async () => {
    fx.server.set(path, {
      headers: { 'content-type': 'text/html' },
      body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body><p>Please sign in<br></body></html>',
    });
    const result = await sourceFor(kind, path).poll();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'bad_body' } });
  });

  it('a truncated body is a bad_body failure', async () => {
    fx.server.set(path, { body: valid });
    const result = await sourceFor(kind, path).poll();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'bad_body' } });
  });

  it('no answer within the deadline is a timeout failure', async () => {
    fx.server.set(path, { hang: true });
    expect(await sourceFor(kind, path, 150).poll()).toEqual({
      ok: false,
      failure: { kind: 'timeout', message: 'no complete answer within 150 ms' },
    });
  });

  it('a valid body of another shape is a bad_body failure, never a throw', async () => {
    for (const body of [
      '{"unexpected":true}',
      '"text"',
      'null',
      '42',
      '<a><b/></a>',
      '\u0000\u0001',
    ]) {
      fx.server.set(path, { body });
      const result = await sourceFor(kind, path).poll();
      expect(result, body).toMatchObject({ ok: false, failure: { kind: 'bad_body' } });
    }
  });
});
