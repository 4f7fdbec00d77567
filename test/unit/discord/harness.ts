import { pino } from 'pino';
import {
  createDiscordAdapter,
  type DiscordAdapter,
  type DiscordAdapterOptions,
} from '../../../adapters/discord/adapter.js';
import { mentionSyntaxes, PLATFORMS } from '../../../adapters/registry.js';
import type { CommandServices } from '../../../commands/command.js';
import { COMMANDS } from '../../../commands/registry.js';
import type { Service } from '../../../src/incidents/model.js';
import { MemoryCatalog } from '../../../src/sources/memory-catalog.js';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  startFakeDiscord,
} from '../../fakes/discord/index.js';
import { catalogService } from '../../helpers/services.js';
import { createTestStore, type StoreKind, type TestStore } from '../../helpers/stores.js';

const service = (id: string, name: string, aliases: string[] = []): Service =>
  catalogService(id, name, { aliases });

export const SERVICES: Service[] = [
  service('github', 'GitHub', ['gh']),
  service('gitlab', 'GitLab'),
  service('discord', 'Discord'),
  service('cloudflare', 'Cloudflare', ['cf']),
  service('digitalocean', 'DigitalOcean', ['do']),
];

export interface Harness {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  services: CommandServices;
  store: TestStore;
  /** Another adapter on the same fake and store (a restart, or a second replica). */
  makeAdapter(over?: Partial<DiscordAdapterOptions>): DiscordAdapter;
  close(): Promise<void>;
}

export const silent = pino({ level: 'silent' });

/** The fake, a store (embedded by default), a small catalog and a started Discord adapter. */
export async function startHarness(
  opts: {
    fake?: FakeDiscordOptions;
    adapter?: Partial<DiscordAdapterOptions>;
    services?: Partial<CommandServices>;
    store?: StoreKind;
  } = {},
): Promise<Harness> {
  const fake = await startFakeDiscord(opts.fake);
  const store = await createTestStore(opts.store ?? 'embedded');
  const services: CommandServices = {
    store: store.store,
    catalog: new MemoryCatalog(SERVICES),
    now: () => new Date(),
    managePolicy: 'managers',
    mentionSyntaxes: mentionSyntaxes(PLATFORMS),
    logger: silent,
    ...opts.services,
  };
  const started: DiscordAdapter[] = [];
  const makeAdapter = (over: Partial<DiscordAdapterOptions> = {}) => {
    const adapter = createDiscordAdapter({
      instanceId: `replica-${started.length + 1}`,
      token: fake.token,
      apiUrl: fake.apiUrl,
      logger: silent,
      commands: COMMANDS,
      services,
      now: () => new Date(),
      rest: { offset: 0 },
      ...opts.adapter,
      ...over,
    });
    started.push(adapter);
    return adapter;
  };
  const adapter = makeAdapter();
  await adapter.start();
  return {
    fake,
    adapter,
    services,
    store,
    makeAdapter,
    async close() {
      await Promise.all(started.map((a) => a.stop()));
      await fake.close();
      await store.cleanup();
    },
  };
}
