import { lookup as systemLookup } from 'node:dns/promises';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { PlatformEntry } from '../adapters/platform.js';
import { createAdapters, mentionSyntaxes } from '../adapters/registry.js';
import type { CommandServices } from '../commands/command.js';
import { COMMANDS } from '../commands/registry.js';
import { boardRoutes } from './board/routes.js';
import type { LoadedConfig } from './config.js';
import { retireConsole, subscribeConsole } from './console-feed.js';
import type { ChatAdapter } from './delivery/chat-adapter.js';
import { DeliveryWorker } from './delivery/worker.js';
import { scheduleDigests } from './digest/digest-tick.js';
import { createMetrics } from './http/metrics.js';
import { startHttpServer } from './http/server.js';
import type { Platform } from './incidents/subscription.js';
import { wirePolling } from './poll-wiring.js';
import { REAL_TIMERS, type Timers } from './scheduler/timers.js';
import { closeServer, SHUTDOWN, within } from './shutdown.js';
import { createSourcePool } from './source-pool.js';
import { buildCatalog } from './sources/build-catalog.js';
import { createChatServiceSync } from './sources/chat-services.js';
import { createConnectivity } from './sources/connectivity.js';
import type { ResolveHost } from './sources/probe-check.js';
import type { LookupAll } from './sources/public-address.js';
import { resolveStatusPageUrl } from './sources/url-services.js';
import { createStore } from './store/create-store.js';
import type { ReportLimits, ReportOutcome, UserReport } from './store/reports.js';

export interface AppDeps {
  /** Loaded with the fragments of `platforms`. */
  config: LoadedConfig;
  /** The chat platforms this bot may run (adapters/registry.ts's PLATFORMS in production). */
  platforms: readonly PlatformEntry[];
  logger: Logger;
  fetch: typeof globalThis.fetch;
  now: () => Date;
  readFile: (path: string) => Promise<string>;
  /** Where the console adapter prints (stdout in production). */
  writeOut: (text: string) => void;
  instanceId: string;
  /** DNS for probes (c-ares by default); tests inject one. */
  resolveHost?: ResolveHost;
  /** DNS for the address checks of untrusted URLs (`dns.promises.lookup` by default). */
  lookup?: LookupAll;
  /** The scheduler's and worker's timers (a replay's simulated clock); the process's by default. */
  timers?: Timers;
  /** Serve HTTP on PORT (default true); a replay has nothing to serve. */
  listen?: boolean;
}

export interface App {
  /** Undefined when started with `listen: false`. */
  server: Server | undefined;
  /**
   * Counts user reports as `/outage report` does (same limits), then reads the reports feed of
   * each service that counted one, once.
   */
  fileReports(reports: readonly UserReport[]): Promise<ReportOutcome[]>;
  stop(): Promise<void>;
}

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

/** The composition root: builds every part from config and collaborators, then starts them. */
export async function startApp(deps: AppDeps): Promise<App> {
  const { config, logger, now } = deps;
  const lookup: LookupAll = deps.lookup ?? systemLookup;
  const metrics = createMetrics();
  const store = await createStore({
    redisUrl: config.REDIS_URL,
    sentinels: config.REDIS_SENTINELS,
    sentinelName: config.REDIS_SENTINEL_NAME,
    clusterNodes: config.REDIS_CLUSTER_NODES,
    keyPrefix: config.REDIS_KEY_PREFIX,
    dataDir: config.DATA_DIR,
    logger,
    now: () => now().getTime(),
    historyRetentionMs: config.HISTORY_RETENTION_DAYS * DAY_MS,
  });

  metrics.watchOutbox(
    {
      pending: () => store.pendingDeliveries(),
      oldestPendingAt: () => store.oldestPendingEnqueuedAt(),
    },
    now,
  );

  const catalog = await buildCatalog({
    servicesFile: config.SERVICES_FILE,
    readFile: deps.readFile,
    store,
  });
  const chatServices = createChatServiceSync(catalog, store);
  const connectivity = createConnectivity({
    controlUrls: config.PROBE_CONTROL_URLS,
    fetch: deps.fetch,
    now,
    logger: logger.child({ component: 'connectivity' }),
  });
  const sources = createSourcePool({
    config,
    fetch: deps.fetch,
    now,
    logger,
    lookup,
    connectivity,
    store,
    resolveHost: deps.resolveHost,
  });

  const reportLimits: ReportLimits = {
    dedupMs: config.REPORT_WINDOW_MS,
    perUser: { max: config.REPORT_USER_LIMIT, windowMs: HOUR_MS },
    perChannel: { max: config.REPORT_CHANNEL_LIMIT, windowMs: HOUR_MS },
  };
  const services: CommandServices = {
    store,
    catalog,
    now,
    managePolicy: config.MANAGE_POLICY,
    mentionSyntaxes: mentionSyntaxes(deps.platforms),
    historyDays: config.HISTORY_RETENTION_DAYS,
    logger: logger.child({ component: 'commands' }),
    pollNow: (serviceId) => void polling.pollSoon(serviceId),
    reports: {
      limits: reportLimits,
      onCounted: (serviceId) => polling.pollReportsSoon(serviceId),
    },
    resolveStatusPageUrl: (url) =>
      resolveStatusPageUrl(url, {
        catalog,
        store,
        chatServices,
        sourceDeps: sources.sourceDeps,
        lookup,
        allowPrivate: config.ALLOW_PRIVATE_SOURCE_URLS,
      }),
  };
  const adapters = createAdapters(
    {
      config,
      logger,
      commands: COMMANDS,
      services,
      now,
      writeOut: deps.writeOut,
      instanceId: deps.instanceId,
    },
    deps.platforms,
  );
  const adapterMap = new Map<Platform, ChatAdapter>(adapters.map((a) => [a.platform, a]));
  logger.info(
    { adapters: [...adapterMap.keys()] },
    `adapters: ${[...adapterMap.keys()].join(', ')}`,
  );

  if (adapterMap.has('console')) {
    const watched = await subscribeConsole({ store, catalog, watch: config.WATCH, now, logger });
    logger.info({ services: watched.length }, `console feed watching ${watched.length} services`);
  } else {
    await retireConsole(store, logger);
  }

  const worker = new DeliveryWorker({
    store,
    adapters: adapterMap,
    logger,
    now,
    metrics,
    owner: deps.instanceId,
    leaseMs: config.OUTBOX_LEASE_MS,
    ...(deps.timers ? { timers: deps.timers } : {}),
    grouping: { windowMs: config.GROUP_WINDOW_MS, minServices: config.GROUP_MIN_SERVICES },
  });
  const polling = wirePolling({
    config,
    store,
    catalog,
    chatServices,
    sources,
    logger,
    now,
    metrics,
    instanceId: deps.instanceId,
    onEnqueued: () => worker.kick(),
    timers: deps.timers,
  });
  const { scheduler, pollSoon, pollReportsSoon } = polling;

  let stopping = false;
  const ready = async (): Promise<boolean | string> => {
    if (stopping) return 'shutting down';
    if (!(await store.ping())) return `the ${store.kind} store does not answer`;
    // Probes say nothing while the bot itself cannot reach the internet.
    const offline = connectivity.offlineSince;
    return offline ? `the bot is offline (no probe control target answers since ${offline})` : true;
  };
  metrics.watchReadiness(ready);
  const server =
    deps.listen === false
      ? undefined
      : await startHttpServer({
          port: config.PORT,
          logger,
          metrics,
          routes: [
            ...adapters.flatMap((a) => a.routes ?? []),
            ...(config.BOARD === 'on'
              ? boardRoutes({ store, catalog, now, logger, token: config.BOARD_TOKEN })
              : []),
          ],
          ready,
          webhookToken: config.WEBHOOK_TOKEN,
          triggerPoll: pollSoon,
        });
  for (const adapter of adapters) await adapter.start();
  worker.start();
  scheduler.start();
  const digests = scheduleDigests(
    {
      store,
      nameOf: (serviceId) => catalog.get(serviceId)?.name ?? serviceId,
      logger: logger.child({ component: 'digest' }),
      owner: deps.instanceId,
      onEnqueued: () => worker.kick(),
    },
    deps.timers ?? REAL_TIMERS,
  );
  const address = server?.address();
  logger.info(
    { port: typeof address === 'object' && address ? address.port : config.PORT },
    'outage-bot started',
  );

  return {
    server,
    async fileReports(reports) {
      const outcomes: ReportOutcome[] = [];
      for (const report of reports) outcomes.push(await store.reports.record(report, reportLimits));
      const counted = new Set(
        reports.filter((_, i) => outcomes[i] === 'counted').map((r) => r.serviceId),
      );
      for (const serviceId of counted) pollReportsSoon(serviceId);
      return outcomes;
    },
    async stop() {
      stopping = true;
      // Polls and sends in flight share the first part of the budget; nothing new starts.
      await Promise.all([
        scheduler.stop(SHUTDOWN.workMs),
        worker.stop(SHUTDOWN.workMs),
        within(digests.stop(), SHUTDOWN.workMs, 'weekly digest tick', logger),
      ]);
      await Promise.all(
        adapters.map((adapter) =>
          within(adapter.stop(), SHUTDOWN.closeMs, `${adapter.platform} adapter stop`, logger),
        ),
      );
      if (server) await within(closeServer(server), SHUTDOWN.closeMs, 'http server close', logger);
      await within(store.close(), SHUTDOWN.closeMs, 'store close', logger);
    },
  };
}
