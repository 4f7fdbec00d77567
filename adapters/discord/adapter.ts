import { once } from 'node:events';
import {
  Client,
  Events,
  GatewayIntentBits,
  REST,
  RESTEvents,
  type RESTOptions,
  Routes,
} from 'discord.js';
import type { Logger } from 'pino';
import type { CommandDefinition, CommandServices } from '../../commands/command.js';
import type { ChatAdapter } from '../../src/delivery/chat-adapter.js';
import { registerCommands } from './command-definitions.js';
import { createDeliverer } from './deliver.js';
import { Lease, type LeaseStore } from './gateway-lease.js';
import {
  destroyClient,
  destroyLate,
  loginPauseMs,
  sessionReady,
  whenAborted,
  withTimeout,
} from './gateway-session.js';
import { handleInteraction } from './interactions.js';
import { noMentions } from './mentions.js';
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
  /** The gateway lease's time to live (default 30 s); renewed, or tried for, every third of it. */
  gatewayLeaseMs?: number;
}

export const GATEWAY_LEASE = 'discord:gateway';

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
  const ttlMs = options.gatewayLeaseMs ?? 30_000;
  let client: Client | undefined;
  /** The login in flight or done; resolves to its error, if it failed. Aborted on a lost lease. */
  let connecting: Promise<Error | undefined> | undefined;
  let loginAbort: AbortController | undefined;
  /** The client whose login is in flight. */
  let loggingIn: Client | undefined;
  let loginFailures = 0;
  let notReadySince: number | undefined; // performance.now() when the session stopped being ready
  /** Set when discord.js gave up on the session (it will not reconnect). */
  let sessionGone: string | undefined;
  let botId: string | undefined;
  let started = false;

  const deliverer = createDeliverer({
    rest,
    logger,
    botUserId: async () => {
      botId ??= client?.user?.id ?? ((await rest.get(Routes.user())) as { id: string }).id;
      return botId;
    },
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

  const lease = new Lease({
    store: options.leaseStore ?? options.services.store,
    name: GATEWAY_LEASE,
    owner: options.instanceId,
    ttlMs,
    logger,
    onAcquired: () => {
      const abort = new AbortController();
      loginAbort = abort;
      connecting = connect(abort.signal).then(
        () => {
          loginFailures = 0;
          return undefined;
        },
        async (err: Error) => {
          if (abort.signal.aborted) return err; // the lease was lost; closeGateway logs it
          // Each attempt may IDENTIFY (Discord allows 1000 a day): back off exponentially.
          loginFailures += 1;
          const pauseMs = loginPauseMs(ttlMs, loginFailures);
          const nextAttemptAt = new Date(options.now().getTime() + pauseMs).toISOString();
          logger.error(
            { err, failures: loginFailures, nextAttemptAt },
            'discord: gateway login failed; handing the lease back',
          );
          await lease.giveUp(pauseMs);
          return err;
        },
      );
    },
    onLost: (reason) => closeGateway(reason),
    unhealthy: sessionTrouble,
  });

  /**
   * Why the logged-in session cannot serve: discord.js gave up on it, or it has not been ready
   * (reconnecting, resuming) for two leases. A login in flight has its own READY timeout.
   */
  function sessionTrouble(): string | undefined {
    const c = client;
    if (!c || loggingIn) return undefined;
    if (sessionGone) return sessionGone;
    if (sessionReady(c)) {
      notReadySince = undefined;
      return undefined;
    }
    const now = performance.now();
    notReadySince ??= now;
    const ms = Math.round(now - notReadySince);
    return ms > 2 * ttlMs ? `the gateway session has not been ready for ${ms} ms` : undefined;
  }

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

  function build(): Client {
    const c = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: noMentions(),
      rest: restOptions,
    });
    const deps = { commands: options.commands, services: options.services, logger };
    c.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, deps));
    c.on(Events.Error, (err) => logger.error({ err }, 'discord: client error'));
    c.on(Events.Warn, (message) => logger.warn({ message }, 'discord: warning'));
    c.on(Events.ShardDisconnect, (event) => {
      logger.warn({ code: event.code }, 'discord: gateway closed for good');
      if (client === c) sessionGone = `the gateway session closed for good (${event.code})`;
    });
    c.on(Events.ShardReconnecting, () => logger.info('discord: gateway reconnecting'));
    c.on(Events.ShardResume, () => logger.info('discord: gateway session resumed'));
    watchRest(c.rest);
    return c;
  }

  async function connect(signal: AbortSignal): Promise<void> {
    const startedAt = options.now().getTime();
    const c = build();
    client = c;
    sessionGone = undefined;
    notReadySince = undefined;
    loggingIn = c;
    const aborted = whenAborted(signal, 'the gateway lease was lost');
    let login: Promise<unknown> | undefined;
    try {
      const ready = once(c, Events.ClientReady);
      login = c.login(options.token);
      // Whichever loses the races below must not become an unhandled rejection.
      for (const p of [ready, login]) p.catch(() => undefined);
      await Promise.race([login, aborted]);
      const readyTimeout = options.readyTimeoutMs ?? 60_000;
      await withTimeout(Promise.race([ready, aborted]), readyTimeout, 'READY from the gateway');
    } catch (err) {
      if (client === c) client = undefined;
      await destroyClient(c);
      void login?.then(() => destroyLate(c)).catch(() => undefined);
      throw new Error(`discord: login failed: ${(err as Error).message}`, { cause: err });
    } finally {
      if (loggingIn === c) loggingIn = undefined;
    }
    logger.info(
      { user: c.user?.tag, guilds: c.guilds.cache.size, ms: options.now().getTime() - startedAt },
      'discord: connected to the gateway',
    );
    const applicationId = c.application?.id;
    if (!applicationId) {
      logger.error('discord: READY carried no application id; /outage not registered');
      return;
    }
    await registerCommands({
      rest: c.rest,
      applicationId,
      commands: options.commands,
      logger,
      ...(options.guildId ? { guildId: options.guildId } : {}),
    }).catch((err: unknown) =>
      logger.error({ err }, 'discord: could not register /outage; will try at next login'),
    );
  }

  async function closeGateway(reason: string): Promise<void> {
    const c = client;
    const pending = connecting;
    client = undefined;
    // A login in flight is cut short rather than awaited, so two sessions never overlap.
    loginAbort?.abort();
    if (c) {
      logger.info({ reason }, 'discord: leaving the gateway');
      await destroyClient(c);
    }
    await pending;
  }

  return {
    platform: 'discord',
    get client() {
      return client;
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
      const err = await connecting;
      if (err) {
        await lease.stop();
        throw err;
      }
    },

    async stop() {
      await lease.stop();
      // Leave the gateway before handing the lease over, so two sessions never overlap.
      await closeGateway('stopping');
      await lease.giveUp();
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },

    deliver: (req) => deliverer(req),
    notifyMissingPermission: (notice) => notifyMissingPermission(rest, notice),
  };
}
