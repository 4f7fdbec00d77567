import { App, HTTPReceiver, type Receiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandDefinition, CommandServices } from '../../commands/command.js';
import type { ChatAdapter, DeliveryRequest, HttpRoute } from '../../src/delivery/chat-adapter.js';
import { boltLogger } from './bolt-logger.js';
import { SlackDeliverer } from './deliver.js';
import { isRateLimitRetry, platformError, toDeliveryError } from './errors.js';
import { SlackManagers } from './managers.js';
import { ChannelPacer } from './pacer.js';
import { notifyMissingPermission } from './permission-notice.js';
import { registerIncidentActions } from './slack-actions.js';
import { registerSlashCommand } from './slash-command.js';

export interface SlackAdapterOptions {
  /** SLACK_BOT_TOKEN (xoxb-…). */
  botToken: string;
  /** SLACK_SIGNING_SECRET: required in HTTP mode. */
  signingSecret?: string;
  /** SLACK_APP_TOKEN (xapp-…): Socket Mode instead of HTTP when set. */
  appToken?: string;
  /** SLACK_API_URL; default https://slack.com/api/ (GovSlack and proxies differ). */
  apiUrl?: string;
  logger: Logger;
  commands: readonly CommandDefinition[];
  services: CommandServices;
  /** SLACK_MANAGERS: user ids allowed to manage besides workspace admins and owners. */
  managers?: readonly string[];
  now?: () => Date;
  /** The slash command's name; default `/outage`. */
  slashCommand?: string;
  tuning?: Partial<SlackTuning>;
}

export interface SlackTuning {
  /** Spacing of messages in one channel (Slack: about one per second). */
  postIntervalMs: number;
  /** Longer queues in one channel are handed back to the worker as rate_limited. */
  maxQueueWaitMs: number;
  /** Per Web API request. */
  requestTimeoutMs: number;
  /** web-api retries for idempotent calls (429 after Retry-After, 5xx, timeouts). */
  apiRetry: webApi.RetryOptions;
  /** How many 429s (each after its Retry-After) chat.postMessage rides out before giving up. */
  postRateLimitRetries: number;
  /** apps.connections.open retries (Socket Mode). */
  socketRetry: webApi.RetryOptions;
  /** How long start() waits for Socket Mode's hello before going on in the background. */
  socketConnectTimeoutMs: number;
  adminCacheMs: number;
  ackBudgetMs: number;
}

export const DEFAULT_TUNING: SlackTuning = {
  postIntervalMs: 1_000,
  maxQueueWaitMs: 20_000,
  requestTimeoutMs: 10_000,
  apiRetry: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000, randomize: true },
  postRateLimitRetries: 3,
  socketRetry: { retries: 10, factor: 1.6, minTimeout: 1_000, maxTimeout: 30_000, randomize: true },
  socketConnectTimeoutMs: 10_000,
  adminCacheMs: 5 * 60_000,
  ackBudgetMs: 2_500,
};

/** Slack errors at start-up that no retry will fix: the operator has to change a variable. */
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked']);

/**
 * The Slack platform: `/outage` through Bolt (HTTP mode: `routes` serves POST /slack/events on the
 * bot's port with signature and replay checks; Socket Mode when an app token is given), and
 * deliver() posting threads through web-api against `apiUrl`.
 */
export function createSlackAdapter(options: SlackAdapterOptions): ChatAdapter {
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const log = options.logger.child({ platform: 'slack' });
  const libLogger = boltLogger(log.child({ lib: 'bolt' }));
  const slackApiUrl = options.apiUrl ?? 'https://slack.com/api/';
  const now = options.now ?? (() => new Date());
  const base = { slackApiUrl, logger: libLogger, timeout: tuning.requestTimeoutMs };

  const api = new webApi.WebClient(options.botToken, {
    ...base,
    retryConfig: tuning.apiRetry,
    rejectRateLimitedCalls: false,
  });
  // Writes are not repeated blindly: web-api may ride out 429s (Slack did nothing), but a 5xx or
  // timeout goes back to the worker, whose retry first looks for the message by its metadata, or
  // reads the start message before editing it again.
  const postRetry = {
    retries: tuning.postRateLimitRetries,
    factor: 1,
    minTimeout: 50,
    maxTimeout: 50,
    onFailedAttempt: (err: Error) => {
      if (!isRateLimitRetry(err)) throw err;
    },
  } as webApi.RetryOptions;
  const poster = new webApi.WebClient(options.botToken, {
    ...base,
    retryConfig: postRetry,
    rejectRateLimitedCalls: false,
  });
  const pacer = new ChannelPacer({
    intervalMs: tuning.postIntervalMs,
    maxWaitMs: tuning.maxQueueWaitMs,
  });
  poster.on(webApi.WebClientEvent.RATE_LIMITED, (retrySec: number, req: { body?: unknown }) => {
    const channel = (req.body as { channel?: unknown } | undefined)?.channel;
    if (typeof channel === 'string') pacer.backOff(channel, retrySec * 1_000);
  });
  const deliverer = new SlackDeliverer({ poster, api, pacer, logger: log });

  const socketMode = Boolean(options.appToken);
  let receiver: Receiver;
  let httpReceiver: HTTPReceiver | undefined;
  if (options.appToken) {
    receiver = new SocketModeReceiver({
      appToken: options.appToken,
      logger: libLogger,
      installerOptions: { clientOptions: { ...base, retryConfig: tuning.socketRetry } },
    });
  } else {
    if (!options.signingSecret) {
      throw new Error(
        'Slack HTTP mode needs SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)',
      );
    }
    httpReceiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: '/slack/events',
      logger: libLogger,
      processBeforeResponse: false,
    });
    receiver = httpReceiver;
  }

  let identity: { botId?: string; botUserId?: string; teamId?: string } = {};
  const app = new App({
    receiver,
    logger: libLogger,
    convoStore: false,
    clientOptions: { ...base, retryConfig: tuning.apiRetry },
    // auth.test runs in start(), where a bad token is reported; commands never wait on it.
    authorize: async () => ({ botToken: options.botToken, ...identity }),
  });
  app.error(async (err) => {
    log.error({ err: err.message, code: err.code }, 'Bolt listener error');
  });
  const managers = new SlackManagers({
    api,
    allowlist: options.managers ?? [],
    cacheMs: tuning.adminCacheMs,
    now: () => now().getTime(),
    logger: log,
  });
  registerSlashCommand(app, options.slashCommand ?? '/outage', {
    commands: options.commands,
    services: options.services,
    canManage: (userId) => managers.canManage(userId),
    checkMention: (userId, mention) => managers.checkMention(userId, mention),
    logger: log,
    ackBudgetMs: tuning.ackBudgetMs,
  });
  registerIncidentActions(app, {
    services: options.services,
    canManage: (userId) => managers.canManage(userId),
    checkMention: (userId, mention) => managers.checkMention(userId, mention),
    logger: log,
  });

  const routes: HttpRoute[] = httpReceiver
    ? [{ method: 'POST', path: '/slack/events', handle: httpReceiver.requestListener }]
    : [];

  return {
    platform: 'slack',
    routes,
    async start() {
      try {
        const who = await api.auth.test();
        identity = {
          ...(who.bot_id ? { botId: who.bot_id } : {}),
          ...(who.user_id ? { botUserId: who.user_id } : {}),
          ...(who.team_id ? { teamId: who.team_id } : {}),
        };
        log.info({ team: who.team, teamId: who.team_id, bot: who.user }, 'Slack token accepted');
      } catch (err) {
        const code = platformError(err);
        if (code && BAD_TOKEN.has(code)) {
          throw new Error(`Slack rejected SLACK_BOT_TOKEN (${code}); check the bot token`);
        }
        log.warn(
          { err: toDeliveryError(err, 'auth.test').message },
          'Slack unreachable at start; will keep trying',
        );
      }
      log.info(
        { mode: socketMode ? 'socket' : 'http', apiUrl: slackApiUrl },
        'Slack adapter ready',
      );
      if (socketMode) await connectSocket(app, tuning.socketConnectTimeoutMs, log);
    },
    async stop() {
      if (socketMode) await app.stop();
    },
    async deliver(req: DeliveryRequest) {
      try {
        return await deliverer.deliver(req);
      } catch (err) {
        throw toDeliveryError(err, 'deliver');
      }
    },
    notifyMissingPermission: (notice) => notifyMissingPermission(poster, notice),
    editGroupRoot: async (edit) => {
      try {
        await deliverer.editGroupRoot(edit);
      } catch (err) {
        throw toDeliveryError(err, 'chat.update');
      }
    },
  };
}

/**
 * Socket Mode's start resolves on Slack's hello. A refusal (bad app token) fails start-up; a
 * Slack that does not answer in time is left to the client's own reconnect loop.
 */
async function connectSocket(app: App, timeoutMs: number, log: Logger): Promise<void> {
  const started = app.start().then(() => 'connected' as const);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([started, late]);
    if (outcome === 'late') {
      log.warn('Socket Mode not connected yet; still trying in the background');
      started.catch((err: unknown) =>
        log.error({ err: String(err) }, 'Socket Mode failed to connect'),
      );
    } else {
      log.info('Socket Mode connected');
    }
  } catch (err) {
    throw new Error(
      `Slack Socket Mode did not start (${err instanceof Error ? err.message : String(err)}); check SLACK_APP_TOKEN`,
    );
  } finally {
    clearTimeout(timer);
  }
}
