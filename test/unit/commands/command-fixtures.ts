import { pino } from 'pino';
import { mentionSyntaxes, PLATFORMS } from '../../../adapters/registry.js';
import type {
  CommandContext,
  CommandDefinition,
  CommandServices,
} from '../../../commands/command.js';
import { findCommand } from '../../../commands/registry.js';
import type { Service } from '../../../src/incidents/model.js';
import {
  emptyState,
  type ServiceState,
  type TrackedSubject,
} from '../../../src/incidents/state.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { MemoryCatalog } from '../../../src/sources/memory-catalog.js';
import type { Store } from '../../../src/store/store.js';
import { perTest } from '../../helpers/per-test.js';
import { catalogService } from '../../helpers/services.js';
import { createTestStore, type TestStore } from '../../helpers/stores.js';

/** A fixed instant near the real clock: the embedded store expires mutes by its own clock. */
export const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);

export const CHANNEL: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
export const OTHER_CHANNEL: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C2' };

const service = (id: string, name: string, aliases: string[] = []): Service =>
  catalogService(id, name, { aliases });

export const SERVICES: Service[] = [
  service('github', 'GitHub', ['gh']),
  service('discord', 'Discord'),
  service('cloudflare', 'Cloudflare', ['cf']),
  service('google-cloud', 'Google Cloud', ['gcp']),
  service('newrelic', 'New Relic'),
];

export interface Harness {
  ctx: CommandContext;
  services: CommandServices;
  catalog: MemoryCatalog;
  test: TestStore;
  /** The same services seen from another channel. */
  ctxFor(channel: ChannelRef, overrides?: Partial<CommandContext>): CommandContext;
}

export async function createHarness(overrides: Partial<CommandServices> = {}): Promise<Harness> {
  const test = await createTestStore('embedded');
  const catalog = new MemoryCatalog(SERVICES);
  const services: CommandServices = {
    store: test.store,
    catalog,
    now: () => NOW,
    managePolicy: 'everyone',
    mentionSyntaxes: mentionSyntaxes(PLATFORMS),
    logger: pino({ level: 'silent' }),
    ...overrides,
  };
  const ctxFor = (channel: ChannelRef, more: Partial<CommandContext> = {}): CommandContext => ({
    channel,
    userId: 'U1',
    canManage: true,
    checkMention: async () => ({ ok: true }),
    services,
    ...more,
  });
  return { ctx: ctxFor(CHANNEL), services, catalog, test, ctxFor };
}

/** A fresh harness for each test of the calling `describe` (see perTest), cleaned up after it. */
export const harnessPerTest = (): Harness => perTest(createHarness, (h) => h.test.cleanup());

/** The registered command `name`; throws if there is none. */
export function registered(name: string): CommandDefinition {
  const def = findCommand(name);
  if (!def) throw new Error(`${name} is not registered`);
  return def;
}

export const minutesAgo = (n: number): string => new Date(NOW.getTime() - n * 60_000).toISOString();

export function incident(
  id: string,
  over: Partial<TrackedSubject['subject']> = {},
  tracked: Partial<TrackedSubject> = {},
): TrackedSubject {
  return {
    subject: {
      kind: 'incident',
      id,
      title: `Incident ${id}`,
      status: 'investigating',
      impact: 'major',
      components: [],
      startedAt: minutesAgo(30),
      url: `https://status.example/incidents/${id}`,
      origin: 'status_page',
      ...over,
    },
    seenUpdateIds: [],
    missingPolls: 0,
    ...tracked,
  };
}

/** A polled, healthy state holding these subjects and components. */
export function stateOf(
  serviceId: string,
  subjects: TrackedSubject[],
  components: ServiceState['components'] = {},
): ServiceState {
  return {
    ...emptyState(serviceId),
    baselined: true,
    subjects: Object.fromEntries(subjects.map((t) => [t.subject.id, t])),
    components,
    health: { consecutiveFailures: 0, lastOkAt: minutesAgo(1) },
  };
}

/**
 * Instagram as it looked six minutes into a DNS outage: its probe failing five checks in a row
 * and its metastatus organisation (Instagram Boost) reporting a disruption. Returns when the
 * probe began failing.
 */
export async function seedInstagramSignals(store: Store): Promise<string> {
  const since = minutesAgo(6);
  const probe = stateOf('instagram', [
    incident('probe:www.instagram.com:1', {
      title: 'www.instagram.com: DNS SERVFAIL',
      impact: 'major',
      origin: 'probe',
      startedAt: since,
    }),
  ]);
  await store.commitPoll(
    {
      ...probe,
      probe: { failures: 5, successes: 0, failingSince: since, lastDetail: 'DNS SERVFAIL' },
    },
    [],
  );
  const official = stateOf('instagram', [
    incident('9001', { title: 'Instagram Boost: High disruptions', impact: 'major' }),
  ]);
  await store.commitPoll(
    {
      ...official,
      feedKey: 'instagram#1:metastatus',
      health: { consecutiveFailures: 0, lastOkAt: minutesAgo(1) },
    },
    [],
  );
  return since;
}
