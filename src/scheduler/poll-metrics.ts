import type { Metrics } from '../http/metrics.js';
import type { PollResult } from '../incidents/model.js';
import type { ServiceState } from '../incidents/state.js';
import type { Feed } from '../sources/feeds.js';
import type { PollOutcome } from './scheduler.js';

/** What the poll metrics need of a poll's deps. */
interface PollMetricsDeps {
  metrics?: Metrics | undefined;
  now: () => Date;
}

/** Counts a poll's outcome and its duration since `startedMs`, and hands the outcome back. */
export function countPoll(
  deps: PollMetricsDeps,
  kind: string,
  outcome: PollOutcome,
  startedMs: number,
): PollOutcome {
  deps.metrics?.polls.inc({ kind, result: outcome });
  deps.metrics?.pollDuration.observe(
    { kind, result: outcome },
    (deps.now().getTime() - startedMs) / 1000,
  );
  return outcome;
}

/** Source health as the metrics show it: per feed, as the state records it after this poll. */
export function recordHealth(
  deps: PollMetricsDeps,
  feed: Feed,
  result: PollResult,
  state: ServiceState,
) {
  const { metrics } = deps;
  if (!metrics) return;
  const labels = { source: feed.key, kind: feed.config.kind };
  if (!result.ok) metrics.pollFailures.inc({ kind: labels.kind, reason: result.failure.kind });
  metrics.sourceUp.set(labels, result.ok ? 1 : 0);
  metrics.sourceConsecutiveFailures.set(labels, state.health.consecutiveFailures);
}
