import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../../../src/incidents/state.js';
import {
  fixtureServerPerTest,
  kindFixture,
  kindFixtureBytes,
  registrySource,
  step,
  type TestClock,
} from './kind-helpers.js';

const fx = fixtureServerPerTest();

describe('cloud kinds through the real reconcile', () => {
  it('gcp: open, update, resolved in one thread', async () => {
    const clock: TestClock = { at: new Date('2023-03-10T14:00:00Z') };
    const gcp = registrySource(
      { kind: 'gcp', url: `${fx.server.url}/`, products: ['Google BigQuery'] },
      { now: () => clock.at },
    );
    const state: { current?: ServiceState } = {};
    const serve = (name: string) =>
      fx.server.set('/incidents.json', { body: kindFixture('gcp', name) });
    fx.server.set('/incidents.json', { body: '[]' });
    expect((await step(gcp, state, clock)).lines).toEqual([]);
    clock.at = new Date('2023-03-10T14:30:00Z');
    serve('written-bigquery-open.json');
    const opened = await step(gcp, state, clock);
    expect(opened.events.map((e) => [e.type, e.subject.title])).toEqual([
      ['started', 'Retry errors for Google BigQuery in europe-north1'],
    ]);
    clock.at = new Date('2023-03-10T14:45:00Z');
    serve('written-bigquery-update.json');
    expect((await step(gcp, state, clock)).lines).toEqual([
      'updated: Retry errors for Google BigQuery in europe-north1: Summary: Retry errors for Google BigQuery in europe-north1\nDescription: Mitigation work is underway; error rates are dropping.',
    ]);
    clock.at = new Date('2023-03-10T15:00:00Z');
    serve('written-bigquery-resolved.json');
    const resolved = await step(gcp, state, clock);
    expect(resolved.lines).toEqual([
      'resolved: Retry errors for Google BigQuery in europe-north1: The issue with Google BigQuery has been resolved for all affected projects as of Friday, 2023-03-10 06:54 US/Pacific.',
    ]);
    expect(resolved.events[0]?.threadKey).toBe(opened.events[0]?.threadKey);
    clock.at = new Date('2023-03-10T15:05:00Z');
    expect((await step(gcp, state, clock)).lines).toEqual([]);
  });

  it('aws: UTF-16 polls open, update and resolve one thread per event', async () => {
    const clock: TestClock = { at: new Date('2023-03-13T16:00:00Z') };
    const aws = registrySource(
      { kind: 'aws', url: `${fx.server.url}/currentevents` },
      { now: () => clock.at },
    );
    const state: { current?: ServiceState } = {};
    const serve = (name: string) =>
      fx.server.set('/currentevents', { body: kindFixtureBytes('aws', name) });
    serve('written-all-clear.utf16be-bom.json');
    expect((await step(aws, state, clock)).lines).toEqual([]);
    clock.at = new Date('2023-03-13T16:20:00Z');
    serve('written-usw2-open.utf16be-bom.json');
    const opened = await step(aws, state, clock);
    expect(opened.events.map((e) => [e.type, e.subject.title, e.subject.impact])).toEqual([
      ['started', 'Internet Connectivity in the US-WEST-2 Region', 'minor'],
      ['started', 'Region Availability', 'critical'],
    ]);
    clock.at = new Date('2023-03-13T16:40:00Z');
    serve('written-usw2-update.utf16le-bom.json');
    expect((await step(aws, state, clock)).lines).toEqual([
      'updated: Internet Connectivity in the US-WEST-2 Region: We have identified the cause and are applying mitigations.',
    ]);
    clock.at = new Date('2023-03-13T17:15:00Z');
    serve('written-usw2-resolved.utf16be-bom.json');
    const resolved = await step(aws, state, clock);
    expect(resolved.events.map((e) => [e.type, e.subject.title])).toEqual([
      ['resolved', 'Internet Connectivity in the US-WEST-2 Region'],
    ]);
    expect(resolved.events[0]?.update?.body).toMatch(/^Between 8:25 AM and 9:16 AM PDT/);
  });

  it('slack: an update, then the incident leaves current and is resolved only by the absence rule', async () => {
    const clock: TestClock = { at: new Date('2023-09-26T18:00:00Z') };
    const slack = registrySource(
      { kind: 'slack', url: `${fx.server.url}/` },
      { now: () => clock.at },
    );
    const state: { current?: ServiceState } = {};
    const path = '/api/v2.0.0/current';
    const serve = (name: string) => fx.server.set(path, { body: kindFixture('slack', name) });
    const tick = () => {
      clock.at = new Date(clock.at.getTime() + 60_000);
    };
    serve('docs-example-current-ok.json');
    await step(slack, state, clock);
    tick();
    serve('current-active-2023-09-26.json');
    expect((await step(slack, state, clock)).lines).toEqual([
      "started: Can't dismiss Now you've got Later: sample note 2",
    ]);
    tick();
    serve('written-active-update.json');
    expect((await step(slack, state, clock)).lines).toEqual([
      "updated: Can't dismiss Now you've got Later: A fix is rolling out & should reach everyone soon.",
    ]);
    fx.server.set(path, { status: 502, body: 'bad gateway' });
    for (let i = 0; i < 12; i++) {
      tick();
      expect((await step(slack, state, clock)).lines).toEqual([]);
    }
    serve('docs-example-current-ok.json');
    const quiet: string[][] = [];
    for (let i = 0; i < 10; i++) {
      tick();
      quiet.push((await step(slack, state, clock)).lines);
    }
    expect(quiet.slice(0, 9).flat()).toEqual([]);
    expect(quiet[9]).toEqual([
      "resolved (inferred): Can't dismiss Now you've got Later: No longer listed on the status page (its incident history could not be read).",
    ]);
  });

  it('slack maintenance: scheduled, then completed', async () => {
    const clock: TestClock = { at: new Date('2023-09-28T17:00:00Z') };
    const slack = registrySource(
      { kind: 'slack', url: `${fx.server.url}/` },
      { now: () => clock.at },
    );
    const state: { current?: ServiceState } = {};
    const path = '/api/v2.0.0/current';
    fx.server.set(path, { body: kindFixture('slack', 'docs-example-current-ok.json') });
    await step(slack, state, clock);
    fx.server.set(path, { body: kindFixture('slack', 'written-maintenance-scheduled.json') });
    expect((await step(slack, state, clock)).lines).toEqual([
      'maintenance_scheduled: Scheduled maintenance for Huddles: Huddles may be briefly unavailable during the window.',
    ]);
    clock.at = new Date('2023-10-03T10:01:00Z');
    fx.server.set(path, { body: kindFixture('slack', 'written-maintenance-completed.json') });
    expect((await step(slack, state, clock)).lines).toEqual([
      'maintenance_completed: Scheduled maintenance for Huddles: The maintenance is complete.',
    ]);
  });
});
