import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type RESTOptions } from 'discord.js';
import type { Logger } from 'pino';
import type { CommandDefinition, CommandServices } from '../../commands/command.js';
import { registerCommands } from './command-definitions.js';
import { Lease, type LeaseStore } from './gateway-lease.js';
import {
  destroyClient,
  destroyLate,
  loginPauseMs,
  whenAborted,
  withTimeout,
} from './gateway-session.js';
import { handleInteraction } from './interactions.js';
import { noMentions } from './mentions.js';
import { SessionHealth } from './session-health.js';

export const GATEWAY_LEASE = 'discord:gateway';

export interface GatewayConnectionOptions {
  token: string;
  guildId?: string;
  logger: Logger;
  commands: readonly CommandDefinition[];
  services: CommandServices;
  now: () => Date;
  restOptions: Partial<RESTOptions>;
  readyTimeoutMs?: number;
  instanceId: string;
  leaseStore?: LeaseStore;
  ttlMs: number;
  /** Hooks the client's REST events into the adapter's logging. */
  watchRest(rest: Client['rest']): unknown;
}

export interface GatewayConnection {
  readonly lease: Lease;
  /** The gateway session while this replica holds the lease. */
  readonly client: Client | undefined;
  /** The login in flight or done; resolves to its error, if it failed. */
  readonly connecting: Promise<Error | undefined> | undefined;
  closeGateway(reason: string): Promise<void>;
}

/**
 * The gateway session of the replica holding the lease: logs in when the lease is won (failed
 * logins back off before the lease is tried for again), registers /outage, and leaves when the
 * lease is lost or the session's health (session-health.ts) says it cannot serve.
 */
export function createGatewayConnection(options: GatewayConnectionOptions): GatewayConnection {
  const { ttlMs, logger, restOptions } = options;
  let client: Client | undefined;
  /** The login in flight or done; resolves to its error, if it failed. Aborted on a lost lease. */
  let connecting: Promise<Error | undefined> | undefined;
  let loginAbort: AbortController | undefined;
  /** The client whose login is in flight. */
  let loggingIn: Client | undefined;
  let loginFailures = 0;
  const health = new SessionHealth(ttlMs);

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
    unhealthy: () => health.trouble(client, loggingIn !== undefined),
  });

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
      if (client === c) health.gone = `the gateway session closed for good (${event.code})`;
    });
    c.on(Events.ShardReconnecting, () => logger.info('discord: gateway reconnecting'));
    c.on(Events.ShardResume, () => logger.info('discord: gateway session resumed'));
    options.watchRest(c.rest);
    return c;
  }

  async function connect(signal: AbortSignal): Promise<void> {
    const startedAt = options.now().getTime();
    const c = build();
    client = c;
    health.reset();
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
    lease,
    get client() {
      return client;
    },
    get connecting() {
      return connecting;
    },
    closeGateway,
  };
}
