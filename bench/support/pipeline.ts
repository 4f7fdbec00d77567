import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { Service } from '../../src/incidents/model.js';
import { pollService } from '../../src/scheduler/poll-service.js';
import { type PollOutcome, PollScheduler } from '../../src/scheduler/scheduler.js';
import { type Feed, type PollTarget, pollTargetsOf } from '../../src/sources/feeds.js';
import { createSource } from '../../src/sources/registry.js';
import { DEFAULT_FETCH_LIMITS, type Source } from '../../src/sources/source.js';
import type { Store } from '../../src/store/store.js';

export interface PipelineOptions {
  store: Store;
  /** Statuspage base URL of service i. */
  urlOf: (i: number) => string;
  services: number;
  concurrency: number;
  now?: () => Date;
  fetch?: typeof globalThis.fetch;
}

export interface Pipeline {
  services: Service[];
  /** Polls every service once through the real scheduler; the time it took and the outcomes. */
  round(): Promise<{ ms: number; outcomes: Map<PollOutcome, number> }>;
  stop(): Promise<void>;
}

/**
 * The bot's poll path as src/app.ts wires it (source instances kept per feed for their
 * conditional-GET cache, the scheduler's concurrency limit and timeouts, pollService with its
 * lease, reconcile, routing and fenced commit), minus the cron: a round polls everything now.
 */
export function pollPipeline(options: PipelineOptions): Pipeline {
  const logger = pino({ level: 'silent' });
  const now = options.now ?? (() => new Date());
  const services: Service[] = Array.from({ length: options.services }, (_, i) => ({
    id: `svc${i}`,
    name: `Service ${i}`,
    aliases: [],
    sources: [{ kind: 'statuspage', url: options.urlOf(i) }],
    trusted: true,
  }));
  const sourceDeps = {
    fetch: options.fetch ?? globalThis.fetch,
    now,
    logger,
    limits: DEFAULT_FETCH_LIMITS,
    userAgent: 'outage-bot-bench',
  };
  const sources = new Map<string, Source>();
  const sourceFor = (service: Service, feed: Feed): Source => {
    let source = sources.get(feed.key);
    if (!source) {
      source = createSource(service, feed.config, sourceDeps);
      sources.set(feed.key, source);
    }
    return source;
  };
  const pollDeps = {
    store: options.store,
    sourceFor,
    logger,
    now,
    owner: 'bench',
    leaseMs: 30_000,
    onEnqueued: () => {},
  };
  const targets = services.flatMap(pollTargetsOf);
  const scheduler = new PollScheduler<PollTarget>({
    schedule: '0 0 1 1 *',
    services: async () => targets,
    pollOne: ({ feed }, signal) => pollService(feed.service, signal, pollDeps, feed),
    logger,
    now: () => now().getTime(),
    concurrency: options.concurrency,
    timeoutMs: 30_000,
    jitterMs: 0,
    backoff: { baseMs: 1_000, maxMs: 1_000 },
  });
  return {
    services,
    async round() {
      const started = performance.now();
      const results = await Promise.all(targets.map((t) => scheduler.pollNow(t)));
      const ms = performance.now() - started;
      const outcomes = new Map<PollOutcome, number>();
      for (const r of results) outcomes.set(r, (outcomes.get(r) ?? 0) + 1);
      return { ms, outcomes };
    },
    stop: () => scheduler.stop(),
  };
}
