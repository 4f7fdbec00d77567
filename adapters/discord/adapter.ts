import { type Client, REST, RESTEvents, type RESTOptions, Routes } from 'discord.js';
import type { Logger } from 'pino';
import type { CommandDefinition, CommandServices } from '../../commands/command.js';
import type { ChatAdapter } from '../../src/delivery/chat-adapter.js';
import { createDeliverer } from './deliver.js';
import { createGatewayConnection } from './gateway-connection.js';
import type { LeaseStore } from './gateway-lease.js';
import { notifyMissingPermission } from './permission-notice.js';

/**
 * The Discord transport: a discord.js 14 client with only the Guilds intent (no privileged
 * intents: slash commands arrive as interactions, the bot reads no messages). REST goes to
 * `apiUrl` (DISCORD_API_URL, e.g. a REST proxy) and the gateway URL is discovered from it with
 * GET /gateway/bot, as discord.js does; discord.js reconnects and resumes on its own.
 *
 * One replica at a time holds the gateway (DESIGN "Scale"): the holder of the store lease
 * `discord:gateway` logs in, registers /outage and answers interactions; the others stand by and
 * take over when it stops or dies. Deliveries go through a REST client of their own, without
 * login, so every replica delivers whether or not it holds the gateway.
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
  /** This replica's id (the app's instanceId): the owner of the gateway lease. */
  instanceId: string;
  /** Where the gateway lease lives (default: services.store). */
  leaseStore?: LeaseStore;
  /** The gateway lease's time to live (default 15 s); renewed, or tried for, every third of it. */
  gatewayLeaseMs?: number;
}

export { GATEWAY_LEASE } from './gateway-connection.js';

export interface DiscordAdapter extends ChatAdapter {
  readonly platform: 'discord';
  /** The gateway session while this replica holds the lease (for tests and diagnostics). */
  readonly client: Client | undefined;
  /** True while this replica holds the gateway lease. */
  readonly holdsGateway: boolean;
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const logger = options.logger.child({ platform: 'discord' });
  const maxWait = options.maxRateLimitWaitMs ?? 10_000;
  const restOptions: Partial<RESTOptions> = {
    ...options.rest,
    api: options.apiUrl.replace(/\/+$/, ''),
    rejectOnRateLimit: (data) => Math.max(data.retryAfter, data.timeToReset) > maxWait,
  };
  const rest = watchRest(new REST(restOptions).setToken(options.token));
  const gateway = createGatewayConnection({
    ...options,
    logger,
    restOptions,
    ttlMs: options.gatewayLeaseMs ?? 15_000,
    watchRest,
  });
  const { lease } = gateway;
  let started = false;
  let botId: string | undefined;

  const deliverer = createDeliverer({
    rest,
    logger,
    botUserId: async () => {
      botId ??= gateway.client?.user?.id ?? ((await rest.get(Routes.user())) as { id: string }).id;
      return botId;
    },
    cachedChannel: (id) => {
      const channel = gateway.client?.channels.cache.get(id);
      if (!channel) return undefined;
      return {
        type: channel.type,
        ...('guildId' in channel && channel.guildId ? { guildId: channel.guildId } : {}),
      };
    },
    archiveOnResolve: options.archiveOnResolve ?? false,
  });

  function watchRest(r: REST): REST {
    r.on(RESTEvents.RateLimited, (info) =>
      logger.debug(
        { route: info.route, waitMs: info.timeToReset, global: info.global },
        'discord: rate limited',
      ),
    );
    r.on(RESTEvents.InvalidRequestWarning, (info) =>
      logger.warn({ count: info.count }, 'discord: many invalid requests (401/403/429)'),
    );
    return r;
  }

  return {
    platform: 'discord',
    get client() {
      return gateway.client;
    },
    get holdsGateway() {
      return lease.holds;
    },

    async start() {
      if (started) throw new Error('discord adapter already started');
      started = true;
      await lease.start();
      if (!lease.holds) {
        logger.info(
          { owner: options.instanceId },
          'discord: another replica holds the gateway; standing by and delivering',
        );
        return;
      }
      const err = await gateway.connecting;
      if (err) {
        await lease.stop();
        throw err;
      }
    },

    async stop() {
      await lease.stop();
      // Leave the gateway before handing the lease over, so two sessions never overlap.
      await gateway.closeGateway('stopping');
      await lease.giveUp();
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },

    deliver: (req) => deliverer.deliver(req),
    editGroupRoot: (edit) => deliverer.editGroupRoot(edit),
    notifyMissingPermission: (notice) => notifyMissingPermission(rest, notice),
  };
}
