import { describe, expect, it } from 'vitest';
import { startStatusServer } from '../../fakes/status-server.js';
import { fakePagePerTest, fixture } from './helpers.js';

type Json = Record<string, unknown>;
const keys = (o: unknown) => Object.keys(o as Json).sort();

const acme = fakePagePerTest();

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${acme.page.url}${path}`, { headers });
const json = async (path: string) => (await (await get(path)).json()) as Json;

describe('fake status server', () => {
  it('renders payloads with the keys of the recorded GitHub ones', async () => {
    acme.page.setComponent('API', 'operational');
    const id = acme.page.setIncident({
      name: 'Errors',
      body: 'Looking',
      components: ['API'],
      componentStatus: 'major_outage',
    });
    acme.page.resolveIncident(id, 'Fixed');
    acme.page.setIncident({ name: 'Open one', body: 'Still looking', components: ['API'] });

    const real = JSON.parse(fixture('github-incidents-2024-09-16.json'));
    const realSummary = JSON.parse(fixture('github-summary-all-operational-2024-02-05.json'));
    const fake = await json('/api/v2/incidents.json');
    const summary = await json('/api/v2/summary.json');
    const [realIncident] = real.incidents;
    const fakeResolved = (fake.incidents as Json[])[1] as Json;

    expect(keys(fake)).toEqual(keys(real));
    expect(keys(fake.page)).toEqual(keys(real.page));
    expect(keys(fakeResolved)).toEqual(keys(realIncident));
    const fakeUpdates = fakeResolved.incident_updates as Json[];
    expect(keys(fakeUpdates[0])).toEqual(keys(realIncident.incident_updates[0]));
    expect(keys((fakeResolved.components as Json[])[0])).toEqual(keys(realIncident.components[0]));
    expect(keys(summary)).toEqual(keys(realSummary));
    expect(keys((summary.components as Json[])[0])).toEqual(keys(realSummary.components[0]));
    expect(fakeUpdates[0]?.affected_components).toEqual([
      {
        code: expect.any(String),
        name: 'API',
        old_status: 'major_outage',
        new_status: 'operational',
      },
    ]);
  });

  it('lists only open incidents in the summary and every incident, newest first, in incidents.json', async () => {
    const first = acme.page.setIncident({ name: 'First', body: 'a' });
    acme.clock = new Date('2026-10-01T10:05:00.000Z');
    const second = acme.page.setIncident({ name: 'Second', status: 'identified', body: 'b' });
    acme.page.resolveIncident(first);

    const summary = await json('/api/v2/summary.json');
    expect((summary.incidents as Json[]).map((i) => i.id)).toEqual([second]);
    const list = await json('/api/v2/incidents.json');
    expect((list.incidents as Json[]).map((i) => [i.id, i.status])).toEqual([
      [second, 'identified'],
      [first, 'resolved'],
    ]);
    const resolved = (list.incidents as Json[])[1] as Json;
    expect(resolved.resolved_at).toBe('2026-10-01T10:05:00.000Z');
    expect((resolved.incident_updates as Json[]).map((u) => u.status)).toEqual([
      'resolved',
      'investigating',
    ]);
    expect((resolved.incident_updates as Json[])[0]?.body).toBe('This incident has been resolved.');
  });

  it('posts updates to an existing incident and refuses an unknown id without a name', () => {
    const id = acme.page.setIncident({ name: 'X', body: 'one' });
    expect(acme.page.setIncident({ id, status: 'monitoring', body: 'two' })).toBe(id);
    expect(() => acme.page.setIncident({ id: 'nope', body: 'x' })).toThrow(/no incident nope/);
    expect(() => acme.page.resolveIncident('nope')).toThrow(/no incident nope/);
    const created = acme.page.setIncident({ id: 'chosen-id', name: 'Named', body: 'x' });
    expect(created).toBe('chosen-id');
  });

  it('computes the indicator, and can force the recorded indicator-none trap', async () => {
    acme.page.setIncident({ name: 'Minor thing', impact: 'major', body: 'x' });
    expect(((await json('/api/v2/summary.json')).status as Json).indicator).toBe('major');
    acme.page.setIndicator('none');
    expect((await json('/api/v2/summary.json')).status).toEqual({
      indicator: 'none',
      description: 'All Systems Operational',
    });
  });

  it('renders group rows like Statuspage', async () => {
    acme.page.setComponent('API', 'partial_outage', { group: 'Core' });
    const rows = (await json('/api/v2/summary.json')).components as Json[];
    const group = rows.find((r) => r.group === true) as Json;
    const api = rows.find((r) => r.name === 'API') as Json;
    expect(group).toMatchObject({ name: 'Core', status: 'partial_outage', components: [api.id] });
    expect(api.group_id).toBe(group.id);
  });

  it('shows active maintenances in the summary and all of them in scheduled-maintenances.json', async () => {
    const id = acme.page.setMaintenance({
      name: 'DB',
      body: 'planned',
      scheduledFor: new Date('2026-10-02T00:00:00Z'),
    });
    let summary = await json('/api/v2/summary.json');
    expect(summary.scheduled_maintenances as Json[]).toMatchObject([
      {
        id,
        status: 'scheduled',
        impact: 'maintenance',
        scheduled_for: '2026-10-02T00:00:00.000Z',
        scheduled_until: '2026-10-02T01:00:00.000Z',
      },
    ]);
    acme.page.setMaintenance({ id, status: 'completed', body: 'done' });
    summary = await json('/api/v2/summary.json');
    expect(summary.scheduled_maintenances).toEqual([]);
    const all = await json('/api/v2/scheduled-maintenances.json');
    expect(all.scheduled_maintenances as Json[]).toMatchObject([{ id, status: 'completed' }]);
  });

  it('answers If-None-Match and If-Modified-Since with 304 until the state changes', async () => {
    const first = await get('/api/v2/summary.json');
    const etag = first.headers.get('etag') as string;
    const lastModified = first.headers.get('last-modified') as string;
    expect((await get('/api/v2/summary.json', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/api/v2/summary.json', { 'if-modified-since': lastModified })).status).toBe(
      304,
    );
    acme.clock = new Date('2026-10-01T10:01:00.000Z');
    acme.page.setIncident({ name: 'New', body: 'x' });
    const changed = await get('/api/v2/summary.json', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await get('/api/v2/summary.json', { 'if-modified-since': lastModified })).status).toBe(
      200,
    );
  });

  it('can serve without validators', async () => {
    const plain = await startStatusServer({ conditional: false });
    try {
      const res = await fetch(`${plain.url}/api/v2/summary.json`, {
        headers: { 'if-none-match': '*' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBeNull();
    } finally {
      await plain.close();
    }
  });

  it('counts requests per endpoint, waits for them, and fails on demand for N requests', async () => {
    acme.page.fail('incidents', 'error500', { times: 1 });
    const waiting = acme.page.waitForRequests('incidents', 2);
    expect((await get('/api/v2/incidents.json')).status).toBe(500);
    expect((await get('/api/v2/incidents.json')).status).toBe(200);
    await waiting;
    expect(acme.page.requestCount('incidents')).toBe(2);
    expect(acme.page.requestCount('summary')).toBe(0);
    expect((await get('/nope')).status).toBe(404);
    await expect(acme.page.waitForRequests('summary', 1, 50)).rejects.toThrow(
      /0\/1 summary requests/,
    );
  });

  it('serves an HTML page, truncated JSON, and heals', async () => {
    acme.page.fail('all', 'html');
    const html = await get('/api/v2/summary.json');
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toMatch(/^<!DOCTYPE html>/);
    acme.page.fail('summary', 'truncated');
    const cut = await (await get('/api/v2/summary.json')).text();
    expect(() => JSON.parse(cut)).toThrow();
    acme.page.heal();
    expect((await get('/api/v2/summary.json')).status).toBe(200);
    expect((await get('/api/v2/incidents.json')).headers.get('content-type')).toMatch(/json/);
  });

  it('close() ends hanging requests', async () => {
    acme.page.fail('summary', 'hang');
    const pending = get('/api/v2/summary.json').then(
      () => 'answered',
      () => 'dropped',
    );
    await acme.page.waitForRequests('summary', 1);
    await acme.page.close();
    expect(await pending).toBe('dropped');
    acme.page = await startStatusServer();
  });
});
