import type { Logger } from 'pino';
import type { LoadedConfig } from './config.js';
import type { Metrics } from './http/metrics.js';
import { pollService } from './scheduler/poll-service.js';
import { reportTargets, servicesToPoll } from './scheduler/poll-targets.js';
import { PollScheduler } from './scheduler/scheduler.js';
import type { Timers } from './scheduler/timers.js';
import type { SourcePool } from './source-pool.js';
import type { Catalog } from './sources/catalog.js';
import type { ChatServiceSync } from './sources/chat-services.js';
import { type PollTarget, pollTargetsOf } from './sources/feeds.js';
import { reportsFeedOf } from './sources/reports.js';
import { HOUR_MS } from './store/reports.js';
import type { Store } from './store/store.js';

export interface PollWiringDeps {
  config: LoadedConfig;
  store: Store;
  catalog: Catalog;
  chatServices: ChatServiceSync;
  sources: SourcePool;
  logger: Logger;
  now: () => Date;
  metrics: Metrics;
  instanceId: string;
  /** New deliveries were enqueued: wake the delivery worker. */
  onEnqueued: () => void;
  timers?: Timers | undefined;
}

export interface PollWiring {
  scheduler: PollScheduler<PollTarget>;
  /** A new subscription or a status page's webhook: poll now rather than at the next tick. */
  pollSoon(serviceId: string): boolean;
  /** A counted report: the reports feed is read now (or right after the poll in flight). */
  pollReportsSoon(serviceId: string): void;
}

/** The poll scheduler over every followed feed (and the reports feeds of reported services). */
export function wirePolling(deps: PollWiringDeps): PollWiring {
  const { config, store, catalog, chatServices, sources, logger, now } = deps;
  const pollDeps = {
    store,
    sourceFor: sources.sourceFor,
    logger,
    now,
    metrics: deps.metrics,
    owner: deps.instanceId,
    leaseMs: config.POLL_TIMEOUT_MS * 3,
    onEnqueued: deps.onEnqueued,
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
    recheckAfter: ({ feed }) => sources.built(feed.key)?.recheckInMs?.(),
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

  return {
    scheduler,
    pollSoon(serviceId) {
      const service = catalog.get(serviceId);
      for (const target of service ? pollTargetsOf(service) : []) void scheduler.pollNow(target);
      return service !== undefined;
    },
    pollReportsSoon(serviceId) {
      const service = catalog.get(serviceId);
      if (!service) return;
      const feed = reportsFeedOf(service);
      scheduler.pollAfterCurrent({ id: feed.key, feed });
    },
  };
}
