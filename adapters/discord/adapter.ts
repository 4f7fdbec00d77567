import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, RESTEvents, type RESTOptions } from 'discord.js';
import type { Logger } from 'pino';
import type { CommandDefinition, CommandServices } from '../../commands/command.js';
import { type ChatAdapter, DeliveryError } from '../chat-adapter.js';
import { registerCommands } from './command-definitions.js';
import { createDeliverer } from './deliver.js';
import { handleInteraction } from './interactions.js';
import { noMentions } from './mentions.js';

/**
 * The Discord transport: a discord.js 14 client with only the Guilds intent (no privileged
 * intents: slash commands arrive as interactions, the bot reads no messages). REST goes to
 * `apiUrl` (DISCORD_API_URL, e.g. a REST proxy) and the gateway URL is discovered from it with
 * GET /gateway/bot, as discord.js does; discord.js reconnects and resumes on its own.
 */

export interface DiscordAdapterOptions {
  token: string;
  /** REST base, without the version: `https://discord.com/api` or a proxy's. */
  apiUrl: string;
  /** Register /outage to this guild only (development); globally when unset. */
  guildId?: string;
  logger: Logger;
  commands: readonly CommandDefinition[];
  services: CommandServices;
  now: () => Date;
  /** Extra @discordjs/rest options (tests use `{ offset: 0 }`); `api` always comes from apiUrl. */
  rest?: Partial<RESTOptions>;
  /**
   * Rate-limit waits up to this long happen inside @discordjs/rest; a longer one fails the
   * delivery as 'rate_limited' so the worker reschedules it instead of holding a slot.
   */
  maxRateLimitWaitMs?: number;
  /** Archive an incident's thread once it is resolved (default false: it auto-archives). */
  archiveOnResolve?: boolean;
  /** How long start() waits for the gateway's READY and guilds. */
  readyTimeoutMs?: number;
}

export interface DiscordAdapter extends ChatAdapter {
  readonly platform: 'discord';
  /** The live client between start() and stop() (for tests and diagnostics). */
  readonly client: Client | undefined;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`discord: no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const logger = options.logger.child({ platform: 'discord' });
  const maxWait = options.maxRateLimitWaitMs ?? 10_000;
  let client: Client | undefined;

  const deliverer = createDeliverer({
    rest: {
      get: (...args) => live().rest.get(...args),
      post: (...args) => live().rest.post(...args),
      patch: (...args) => live().rest.patch(...args),
    },
    logger,
    botUserId: () => client?.user?.id,
    cachedChannel: (id) => {
      const channel = client?.channels.cache.get(id);
      if (!channel) return undefined;
      return {
        type: channel.type,
        ...('guildId' in channel && channel.guildId ? { guildId: channel.guildId } : {}),
      };
    },
    archiveOnResolve: options.archiveOnResolve ?? false,
  });

  function live(): Client {
    if (!client?.isReady())
      throw new DeliveryError('transient', 'discord client is not connected yet');
    return client;
  }

  function build(): Client {
    const c = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: noMentions(),
      rest: {
        ...options.rest,
        api: options.apiUrl.replace(/\/+$/, ''),
        rejectOnRateLimit: (data) => Math.max(data.retryAfter, data.timeToReset) > maxWait,
      },
    });
    const deps = { commands: options.commands, services: options.services, logger };
    c.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, deps));
    c.on(Events.Error, (err) => logger.error({ err }, 'discord: client error'));
    c.on(Events.Warn, (message) => logger.warn({ message }, 'discord: warning'));
    c.on(Events.ShardDisconnect, (event) =>
      logger.warn({ code: event.code }, 'discord: gateway closed for good'),
    );
    c.on(Events.ShardReconnecting, () => logger.info('discord: gateway reconnecting'));
    c.on(Events.ShardResume, () => logger.info('discord: gateway session resumed'));
    c.rest.on(RESTEvents.RateLimited, (info) =>
      logger.debug(
        { route: info.route, waitMs: info.timeToReset, global: info.global },
        'discord: rate limited',
      ),
    );
    c.rest.on(RESTEvents.InvalidRequestWarning, (info) =>
      logger.warn({ count: info.count }, 'discord: many invalid requests (401/403/429)'),
    );
    return c;
  }

  return {
    platform: 'discord',
    get client() {
      return client;
    },

    async start() {
      if (client) throw new Error('discord adapter already started');
      const startedAt = options.now().getTime();
      const c = build();
      client = c;
      try {
        const ready = once(c, Events.ClientReady);
        await c.login(options.token);
        await withTimeout(ready, options.readyTimeoutMs ?? 60_000, 'READY from the gateway');
      } catch (err) {
        client = undefined;
        await c.destroy();
        throw new Error(`discord: login failed: ${(err as Error).message}`, { cause: err });
      }
      logger.info(
        { user: c.user?.tag, guilds: c.guilds.cache.size, ms: options.now().getTime() - startedAt },
        'discord: connected',
      );
      const applicationId = c.application?.id;
      if (!applicationId) throw new Error('discord: READY carried no application id');
      await registerCommands({
        rest: c.rest,
        applicationId,
        commands: options.commands,
        logger,
        ...(options.guildId ? { guildId: options.guildId } : {}),
      }).catch((err: unknown) =>
        logger.error({ err }, 'discord: could not register /outage; will try at next start'),
      );
    },

    async stop() {
      const c = client;
      client = undefined;
      await c?.destroy();
    },

    deliver: (req) => deliverer(req),
  };
}
