import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../../../src/incidents/state.js';
import {
  fixtureServerPerTest,
  kindFixture,
  registrySource,
  snapshotOf,
  step,
  type TestClock,
} from './kind-helpers.js';

const fx = fixtureServerPerTest();
const ORGS = '/data/orgs.json';
const OUTAGES = '/data/outages/whatsapp-business-api.json';
const serve = (path: string, name: string) =>
  fx.server.set(path, { body: kindFixture('metastatus', name) });
const source = (clock?: TestClock) =>
  registrySource(
    { kind: 'metastatus', url: `${fx.server.url}/whatsapp-business-api` },
    clock ? { now: () => clock.at } : {},
  );

describe('metastatus source (written fixtures: no real payload is recorded)', () => {
  it('normalizes an outage and the organisation services as components', async () => {
    serve(ORGS, 'written-orgs-cloud-api-disrupted.json');
    serve(OUTAGES, 'written-outages-update.json');
    const snap = snapshotOf(await source().poll());
    expect(snap).toEqual({
      serviceId: 'acme',
      fetchedAt: '2026-10-01T12:00:00.000Z',
      incidents: [
        {
          id: '9001',
          title: 'Cloud API: High disruptions',
          status: 'investigating',
          impact: 'major',
          components: ['Cloud API'],
          updates: [
            {
              id: expect.stringMatching(/^2026-10-01T10:00:00.000Z:[0-9a-f]{12}$/),
              status: 'investigating',
              body: 'Some businesses may see delayed message delivery on Cloud API.',
              at: '2026-10-01T10:00:00.000Z',
            },
            {
              id: expect.stringMatching(/^2026-10-01T10:30:00.000Z:[0-9a-f]{12}$/),
              status: 'investigating',
              body: 'We have applied a fix & are monitoring delivery.',
              at: '2026-10-01T10:30:00.000Z',
            },
          ],
          startedAt: '2026-10-01T10:00:00.000Z',
          url: `${fx.server.url}/whatsapp-business-api`,
          origin: 'status_page',
        },
      ],
      maintenances: [],
      components: [
        {
          id: '101',
          name: 'Cloud API',
          status: 'major_outage',
          group: 'WhatsApp Business Platform',
        },
        { id: '102', name: 'Flows', status: 'operational', group: 'WhatsApp Business Platform' },
      ],
      resolutionsKnown: false,
      pageUrl: `${fx.server.url}/whatsapp-business-api`,
    });
  });

  it('refuses a URL without an organisation when the source is made', () => {
    expect(() => registrySource({ kind: 'metastatus', url: 'https://metastatus.com/' })).toThrow(
      'metastatus source needs the organisation in its URL, like https://metastatus.com/whatsapp-business-api (got https://metastatus.com/)',
    );
  });

  it('a failing outages list fails the poll, an SPA page instead of JSON is a bad body', async () => {
    serve(ORGS, 'written-orgs-healthy.json');
    fx.server.set(OUTAGES, { status: 500, body: 'x' });
    expect(await source().poll()).toMatchObject({
      ok: false,
      failure: { kind: 'http_status', status: 500 },
    });
    fx.server.set(OUTAGES, {
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><div id="root"></div>',
    });
    expect(await source().poll()).toEqual({
      ok: false,
      failure: {
        kind: 'bad_body',
        message: 'outages/whatsapp-business-api.json: HTML instead of JSON',
      },
    });
  });

  it('walks open, update, and the outage leaving: resolved only by the absence rule', async () => {
    const clock: TestClock = { at: new Date('2026-10-01T09:55:00Z') };
    const meta = source(clock);
    const state: { current?: ServiceState } = {};
    const tick = () => {
      clock.at = new Date(clock.at.getTime() + 60_000);
    };
    serve(ORGS, 'written-orgs-healthy.json');
    serve(OUTAGES, 'written-outages-none.json');
    expect((await step(meta, state, clock)).lines).toEqual([]);
    tick();
    serve(ORGS, 'written-orgs-cloud-api-disrupted.json');
    serve(OUTAGES, 'written-outages-open.json');
    expect((await step(meta, state, clock)).lines).toEqual([
      'started: Cloud API: High disruptions: Some businesses may see delayed message delivery on Cloud API.',
    ]);
    tick();
    serve(OUTAGES, 'written-outages-update.json');
    expect((await step(meta, state, clock)).lines).toEqual([
      'updated: Cloud API: High disruptions: We have applied a fix & are monitoring delivery.',
    ]);
    serve(ORGS, 'written-orgs-healthy.json');
    serve(OUTAGES, 'written-outages-none.json');
    const lines: string[][] = [];
    for (let i = 0; i < 10; i++) {
      tick();
      lines.push((await step(meta, state, clock)).lines);
    }
    expect(lines.slice(0, 9).flat()).toEqual([]);
    expect(lines[9]).toEqual([
      'resolved (inferred): Cloud API: High disruptions: No longer listed on the status page (its incident history could not be read).',
    ]);
  });
});
