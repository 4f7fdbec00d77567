import { readFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import type { PollResult, Service, Snapshot, SourceConfig } from '../../../src/incidents/model.js';
import { reconcile } from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import { createSource } from '../../../src/sources/registry.js';
import type { Source, SourceDeps } from '../../../src/sources/source.js';
import { type FeedFixtureServer, startFeedFixtureServer } from '../../fakes/feed-fixture-server.js';
import { service, sourceDeps } from './helpers.js';

/** A recorded or written payload from test/fixtures/<kind>/ (see the README there). */
export const kindFixture = (kind: string, name: string): string =>
  readFileSync(new URL(`../../fixtures/${kind}/${name}`, import.meta.url), 'utf8');

export const kindFixtureBytes = (kind: string, name: string): Buffer =>
  readFileSync(new URL(`../../fixtures/${kind}/${name}`, import.meta.url));

/** A fresh fixture server per test, closed after it. */
export function fixtureServerPerTest(): { server: FeedFixtureServer } {
  const holder = {} as { server: FeedFixtureServer };
  beforeEach(async () => {
    holder.server = await startFeedFixtureServer();
  });
  afterEach(() => holder.server.close());
  return holder;
}

export function snapshotOf(result: PollResult): Snapshot {
  if (!result.ok || result.notModified) {
    throw new Error(`expected a snapshot, got ${JSON.stringify(result)}`);
  }
  return result.snapshot;
}

/** A source made through the registry, as the bot makes it, polling a trusted local URL. */
export function registrySource(
  config: SourceConfig,
  deps: Partial<SourceDeps> = {},
  overrides: Partial<Service> = {},
): Source {
  return createSource(service(config.url, overrides), config, sourceDeps(deps));
}

/** A clock the test moves; sources read it through `deps.now`. */
export interface TestClock {
  at: Date;
}

/**
 * One step of a walk: poll the source, feed the result to the real reconcile, keep the state.
 * Returns the events as `type: title: body` lines, plus the events themselves.
 */
export async function step(
  source: Source,
  state: { current?: ServiceState },
  clock: TestClock,
): Promise<{ lines: string[]; events: ReturnType<typeof reconcile>['events'] }> {
  const result = await source.poll();
  const at = clock.at.toISOString();
  const observation = result.ok
    ? result.notModified
      ? { ok: true as const, notModified: true as const, serviceId: 'acme', at }
      : result.snapshot
    : { ok: false as const, serviceId: 'acme', failure: result.failure, at };
  const next = reconcile(state.current, observation, { serviceName: 'Acme' });
  state.current = next.state;
  const lines = next.events.map(
    (e) =>
      `${e.type}${e.combined ? ' (combined)' : ''}${e.inferred ? ' (inferred)' : ''}: ${e.subject.title}: ${e.update?.body ?? ''}`,
  );
  return { lines, events: next.events };
}
