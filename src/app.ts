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
import type { Service } from './incidents/model.js';
import type { Platform } from './incidents/subscription.js';
import { pollService } from './scheduler/poll-service.js';
import { reportTargets, servicesToPoll } from './scheduler/poll-targets.js';
import { PollScheduler } from './scheduler/scheduler.js';
import { REAL_TIMERS, type Timers } from './scheduler/timers.js';
import { buildCatalog } from './sources/build-catalog.js';
import { createChatServiceSync } from './sources/chat-services.js';
import { createConnectivity } from './sources/connectivity.js';
import { type Feed, type PollTarget, pollTargetsOf } from './sources/feeds.js';
import { createPinnedFetch } from './sources/pinned-fetch.js';
import type { ResolveHost } from './sources/probe-check.js';
import type { LookupAll } from './sources/public-address.js';
import { createSource } from './sources/registry.js';
import { reportsFeedOf } from './sources/reports.js';
import { DEFAULT_FETCH_LIMITS, type Source } from './sources/source.js';
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

const USER_AGENT = 'outage-bot/0.1 (+https://github.com/outage-bot)';

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
  const sourceDeps = {
    fetch: deps.fetch,
    now,
    logger,
    limits: { ...DEFAULT_FETCH_LIMITS, timeoutMs: config.POLL_TIMEOUT_MS },
    userAgent: USER_AGENT,
    allowPrivateUrls: config.ALLOW_PRIVATE_SOURCE_URLS,
    lookup,
    untrustedFetch: createPinnedFetch(lookup),
    connectivity,
    probeRecheck: { afterMs: config.PROBE_RECHECK_MS, recoveries: config.PROBE_RECOVERIES },
    reports: { store: store.reports, windowMs: config.REPORT_WINDOW_MS },
    ...(deps.resolveHost ? { resolveHost: deps.resolveHost } : {}),
  };
  const sources = new Map<string, Source>();
  const sourceFor = (service: Service, feed: Feed): Source => {
    let source = sources.get(feed.key);
    if (!source) {
      source = createSource(service, feed.config, {
        ...sourceDeps,
        logger: logger.child({ source: feed.key }),
      });
      sources.set(feed.key, source);
    }
    return source;
  };

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
    pollNow: (serviceId) => void pollSoon(serviceId),
    reports: {
      limits: reportLimits,
      onCounted: (serviceId) => pollReportsSoon(serviceId),
    },
    resolveStatusPageUrl: (url) =>
      resolveStatusPageUrl(url, {
        catalog,
        store,
        chatServices,
        sourceDeps,
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
  const pollDeps = {
    store,
    sourceFor,
    logger,
    now,
    metrics,
    owner: deps.instanceId,
    leaseMs: config.POLL_TIMEOUT_MS * 3,
    onEnqueued: () => worker.kick(),
    policy: {
      probeFailuresToOpen: config.PROBE_FAILURES,
      probeRecoveriesToClose: config.PROBE_RECOVERIES,
      reportThreshold: config.REPORT_THRESHOLD,
      reportHoldMs: config.REPORT_HOLD_MS,
    },
    signalPolicy: { windowMs: config.SIGNAL_WINDOW_MS, holdMs: config.SIGNAL_HOLD_MS },
  };
  // Reports feeds are polled while someone reported within this long (then they are quiet).
  const reportsPolledMs = config.REPORT_WINDOW_MS + config.REPORT_HOLD_MS + 6 * HOUR_MS;
  const scheduler = new PollScheduler<PollTarget>({
    schedule: config.POLL_SCHEDULE,
    services: async () => {
      const polled = await servicesToPoll({ store, catalog, chatServices, logger });
      const reported = await reportTargets(
        polled,
        store.reports,
        now().getTime() - reportsPolledMs,
      ).catch((err: unknown) => {
        logger.warn({ err }, 'could not read which services were reported; reports wait');
        return [];
      });
      return [...polled.flatMap(pollTargetsOf), ...reported];
    },
    pollOne: ({ feed }, signal) => pollService(feed.service, signal, pollDeps, feed),
    recheckAfter: ({ feed }) => sources.get(feed.key)?.recheckInMs?.(),
    claimCycle: ({ feed }, cycle) =>
      store.tryLease(`poll-cycle:${feed.key}:${cycle.at}`, deps.instanceId, cycle.ttlMs),
    logger,
    now: () => now().getTime(),
    concurrency: config.POLL_CONCURRENCY,
    timeoutMs: config.POLL_TIMEOUT_MS + 2_000,
    jitterMs: config.POLL_JITTER_MS,
    backoff: { baseMs: 30_000, maxMs: 15 * 60_000 },
    ...(deps.timers ? { timers: deps.timers } : {}),
  });

  /** A new subscription or a status page's webhook: poll now rather than at the next tick. */
  function pollSoon(serviceId: string): boolean {
    const service = catalog.get(serviceId);
    for (const target of service ? pollTargetsOf(service) : []) void scheduler.pollNow(target);
    return service !== undefined;
  }

  /** A counted report: the reports feed is read now (or right after the poll in flight). */
  function pollReportsSoon(serviceId: string): void {
    const service = catalog.get(serviceId);
    if (!service) return;
    const feed = reportsFeedOf(service);
    scheduler.pollAfterCurrent({ id: feed.key, feed });
  }

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

/**
 * How app.stop() spends a SIGTERM's 10 seconds (issue 9): polls and sends in flight get `workMs`,
 * then the adapters (in parallel), the HTTP server and the store get `closeMs` each; main.ts
 * exits on its own after SHUTDOWN_DEADLINE_MS whatever is left.
 */
export const SHUTDOWN = { workMs: 5_000, closeMs: 1_000 } as const;
export const SHUTDOWN_DEADLINE_MS = 9_500;

/** Stops accepting, closes idle keep-alive sockets at once and, after a moment, the rest. */
function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const busy = setTimeout(() => server.closeAllConnections(), SHUTDOWN.closeMs / 2);
  return closed.finally(() => clearTimeout(busy));
}

/**
 * Waits for `step` at most `ms` (wall time: a shutdown is real time, whatever clock the app runs
 * on); a step that fails or overruns is logged and left behind, so the next one still runs.
 */
async function within(step: Promise<void>, ms: number, what: string, logger: Logger) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    const outcome = await Promise.race([step.then(() => 'done' as const), late]);
    if (outcome === 'late') logger.warn({ waitedMs: ms }, `${what} did not finish in time`);
  } catch (err) {
    logger.warn({ err }, `${what} failed`);
  } finally {
    clearTimeout(timer);
  }
}
