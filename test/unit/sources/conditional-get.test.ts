import { afterEach, describe, expect, it } from 'vitest';
import { ConditionalGet } from '../../../src/sources/conditional-get.js';
import type { ParseResult } from '../../../src/sources/json-body.js';
import { StatuspageSource } from '../../../src/sources/statuspage.js';
import { type StaticServer, service, sourceDeps, startStaticServer } from './helpers.js';

/** A page without validators (no ETag, no Last-Modified): every poll is a 200. */
const summary = (name: string) =>
  JSON.stringify({
    page: { id: 'p', name: 'Acme', url: 'https://status.acme.test' },
    components: [],
    incidents: [
      {
        id: 'inc1',
        name,
        status: 'investigating',
        impact: 'minor',
        created_at: '2026-10-01T09:00:00.000Z',
        updated_at: '2026-10-01T09:00:00.000Z',
        incident_updates: [
          {
            id: 'u1',
            status: 'investigating',
            body: 'Looking.',
            created_at: '2026-10-01T09:00:00.000Z',
          },
        ],
        components: [],
      },
    ],
    scheduled_maintenances: [],
  });

describe('ConditionalGet: a 200 with the very body of the last one', () => {
  let server: StaticServer | undefined;
  afterEach(() => server?.close());

  it('answers the last parse without parsing again; a changed body is parsed', async () => {
    let body = '{"n":1}';
    server = await startStaticServer({ '/doc.json': () => ({ body }) });
    const url = `${server.url}/doc.json`;
    const http = new ConditionalGet(service(server.url), sourceDeps());
    const parsed: string[] = [];
    const parse = (text: string): ParseResult<{ n: number }> => {
      parsed.push(text);
      return { ok: true, value: JSON.parse(text) as { n: number } };
    };
    const first = await http.get(url, parse);
    const second = await http.get(url, parse);
    expect(first).toEqual({ ok: true, value: { n: 1 } });
    expect(second.ok && first.ok && second.value === first.value).toBe(true);
    expect(parsed).toEqual(['{"n":1}']);

    body = '{"n":2}';
    expect(await http.get(url, parse)).toEqual({ ok: true, value: { n: 2 } });
    expect(parsed).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('gives the Statuspage source the same snapshot but its time, and a changed page anew', async () => {
    let name = 'API errors';
    server = await startStaticServer({
      '/api/v2/summary.json': () => ({ body: summary(name) }),
      '/api/v2/incidents.json': () => ({ body: '{"incidents":[]}' }),
    });
    let now = new Date('2026-10-01T10:00:00.000Z');
    const url = server.url;
    const source = new StatuspageSource(
      service(url),
      { kind: 'statuspage', url },
      sourceDeps({ now: () => now }),
    );
    const first = await source.poll();
    now = new Date('2026-10-01T10:01:00.000Z');
    const second = await source.poll();
    if (!first.ok || first.notModified || !second.ok || second.notModified) {
      throw new Error('expected two snapshots');
    }
    expect(second.snapshot).toEqual({ ...first.snapshot, fetchedAt: '2026-10-01T10:01:00.000Z' });
    expect(second.snapshot.incidents).toBe(first.snapshot.incidents);

    name = 'API errors, now worse';
    const third = await source.poll();
    if (!third.ok || third.notModified) throw new Error('expected a snapshot');
    expect(third.snapshot.incidents.map((i) => i.title)).toEqual(['API errors, now worse']);
  });
});
