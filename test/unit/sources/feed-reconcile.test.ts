import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../../../src/incidents/state.js';
import {
  fixtureServerPerTest,
  kindFixture,
  registrySource,
  step,
  type TestClock,
} from './kind-helpers.js';

const fx = fixtureServerPerTest();
const clock: TestClock = { at: new Date('2026-10-01T10:00:00.000Z') };
const later = (minutes: number) => {
  clock.at = new Date(clock.at.getTime() + minutes * 60_000);
};
const serve = (name: string) => fx.server.set('/feed', { body: kindFixture('feed', name) });
const source = (convention: 'statuspage' | 'aws' | 'azure' | 'generic') =>
  registrySource(
    { kind: 'feed', url: `${fx.server.url}/feed`, convention },
    { now: () => clock.at },
  );

describe('feed kinds through the real reconcile', () => {
  it('Statuspage Atom: open, update, resolved, each told once', async () => {
    const feed = source('statuspage');
    const state: { current?: ServiceState } = {};
    serve('feed-empty-all-clear-2026-08.xml');
    expect((await step(feed, state, clock)).lines).toEqual([]);
    later(1);
    serve('incident-10330972-snapshot-2022-06-17.xml');
    expect((await step(feed, state, clock)).lines).toEqual([
      'started: Incident with GitHub Actions: We are investigating reports of degraded performance for GitHub Actions.',
    ]);
    later(1);
    serve('incident-10330972-written-identified.xml');
    expect((await step(feed, state, clock)).lines).toEqual([
      'updated: Incident with GitHub Actions: We found the cause & are rolling out a fix.',
    ]);
    later(1);
    expect((await step(feed, state, clock)).lines).toEqual([]);
    later(1);
    serve('incident-10330972-snapshot-2022-06-18.xml');
    expect((await step(feed, state, clock)).lines).toEqual([
      'resolved: Incident with GitHub Actions: This incident has been resolved.',
    ]);
  });

  it('Statuspage Atom maintenance: scheduled, started, completed', async () => {
    const feed = source('statuspage');
    const state: { current?: ServiceState } = {};
    serve('feed-empty-all-clear-2026-08.xml');
    await step(feed, state, clock);
    serve('incident-16051676-snapshot-2023-02-08.xml');
    const scheduled = await step(feed, state, clock);
    expect(scheduled.events.map((e) => e.type)).toEqual(['maintenance_scheduled']);
    serve('incident-16051676-snapshot-2023-02-09.xml');
    expect((await step(feed, state, clock)).lines).toEqual([
      'maintenance_started: Planned maintenance on GitHub Package Registry: Scheduled maintenance is currently in progress. We will provide updates as necessary.',
    ]);
    serve('incident-16051676-snapshot-2023-02-10.xml');
    expect((await step(feed, state, clock)).lines).toEqual([
      'maintenance_completed: Planned maintenance on GitHub Package Registry: The scheduled maintenance has been completed.',
    ]);
  });

  it('AWS RSS: items of one event go to one thread, the [RESOLVED] item resolves it', async () => {
    const feed = source('aws');
    const state: { current?: ServiceState } = {};
    serve('feed-empty-all-clear-2026-08.xml');
    await step(feed, state, clock);
    serve('aws-written-sns-open.xml');
    const opened = await step(feed, state, clock);
    expect(opened.lines).toEqual([
      'started: SMS Delivery Delays: We are investigating increased SMS delivery latency using US toll-free numbers.',
    ]);
    serve('aws-written-sns-update.xml');
    const updated = await step(feed, state, clock);
    expect(updated.lines).toEqual([
      'updated: SMS Delivery Delays: We have identified the cause of delayed SMS delivery receipts & are working with downstream partners.',
    ]);
    serve('aws-written-sns-resolved.xml');
    const resolved = await step(feed, state, clock);
    expect(resolved.events.map((e) => e.type)).toEqual(['resolved']);
    expect(new Set([opened, updated, resolved].map((s) => s.events[0]?.threadKey)).size).toBe(1);
  });

  it('Azure: an item that leaves is resolved only after the absence rule, never by failed polls', async () => {
    const feed = source('azure');
    const state: { current?: ServiceState } = {};
    serve('feed-empty-all-clear-2026-08.xml');
    await step(feed, state, clock);
    later(1);
    serve('azure-written-active.xml');
    const opened = await step(feed, state, clock);
    expect(opened.events.map((e) => e.type)).toEqual(['started']);
    later(1);
    serve('azure-written-active-updated.xml');
    const updated = await step(feed, state, clock);
    expect(updated.events.map((e) => e.type)).toEqual(['updated']);
    expect(updated.events[0]?.update?.body).toContain('Update: mitigation confirmed.');

    // The feed fails for a long while: nothing is resolved.
    fx.server.set('/feed', { status: 503, body: 'busy' });
    for (let i = 0; i < 15; i++) {
      later(1);
      expect((await step(feed, state, clock)).lines).toEqual([]);
    }
    // Quiet again: the item is gone, but one absence is not a resolution (rule 5 and 4)...
    serve('feed-empty-all-clear-2026-08.xml');
    for (let i = 1; i < 10; i++) {
      later(1);
      expect((await step(feed, state, clock)).lines).toEqual([]);
    }
    // ...the tenth poll without it is.
    later(1);
    expect((await step(feed, state, clock)).lines).toEqual([
      'resolved (inferred): Virtual Machines/VM Scale Sets - East US 2: No longer listed on the status page (its incident history could not be read).',
    ]);
    later(1);
    expect((await step(feed, state, clock)).lines).toEqual([]);
  });

  it('generic Atom: prefixes open, update and resolve one thread', async () => {
    const feed = source('generic');
    const state: { current?: ServiceState } = {};
    serve('feed-empty-all-clear-2026-08.xml');
    await step(feed, state, clock);
    serve('generic-written-open.xml');
    expect((await step(feed, state, clock)).lines).toEqual([
      'started: Login failures: Users cannot sign in.',
    ]);
    serve('generic-written-update.xml');
    expect((await step(feed, state, clock)).lines).toEqual([
      'updated: Login failures: A fix is deployed; we are watching.',
    ]);
    serve('generic-written-resolved.xml');
    expect((await step(feed, state, clock)).lines).toEqual([
      'resolved: Login failures: Sign-in works again.',
    ]);
  });
});
