import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { IncidentEvent } from '../incidents/model.js';

/** What the outbox gauges read at each scrape (the store; shared by every replica on Redis). */
export interface OutboxProbe {
  pending(): Promise<number>;
  oldestPendingAt(): Promise<Date | undefined>;
}

/**
 * The bot's Prometheus metrics, on a registry of its own (no global state between instances).
 * deploy/grafana-dashboard.json and deploy/prometheus-alerts.yml use these names; a test checks
 * that every name they use exists here.
 */
export interface Metrics {
  registry: Registry;
  polls: Counter<'kind' | 'result'>;
  pollFailures: Counter<'kind' | 'reason'>;
  pollDuration: Histogram<'kind' | 'result'>;
  sourceUp: Gauge<'source' | 'kind'>;
  sourceConsecutiveFailures: Gauge<'source' | 'kind'>;
  events: Counter<'type'>;
  deliveries: Counter<'platform' | 'result'>;
  deliveryRetries: Counter<'platform' | 'reason'>;
  deliveryFailures: Counter<'platform' | 'kind'>;
  deliveryDeferrals: Counter<'platform'>;
  updateToDelivery: Histogram<'platform' | 'event'>;
  outboxPending: Gauge;
  outboxOldestAge: Gauge;
  ready: Gauge;
  /** Lets the readiness gauge ask `check` (what /readyz answers) at each scrape. */
  watchReadiness(check: () => Promise<boolean | string>): void;
  /** Lets the outbox gauges read `probe` at each scrape; before this they read nothing. */
  watchOutbox(probe: OutboxProbe, now: () => Date): void;
  /** A delivery went out: observe the time since the status page's own time of what it says. */
  observeDelivered(platform: string, event: IncidentEvent, at: Date): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'outage_bot_' });
  const registers = [registry];
  let outbox: { probe: OutboxProbe; now: () => Date } | undefined;
  let readiness: (() => Promise<boolean | string>) | undefined;
  const updateToDelivery = new Histogram({
    name: 'outage_bot_update_to_delivery_seconds',
    help: "Time from a source's own timestamp of an update (or an incident's start) to its delivery",
    labelNames: ['platform', 'event'],
    buckets: [5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers,
  });
  return {
    registry,
    polls: new Counter({
      name: 'outage_bot_polls_total',
      help: 'Source polls by source kind and result (ok, not_modified, failed, skipped, store_unavailable, internal_error, lease_lost)',
      labelNames: ['kind', 'result'],
      registers,
    }),
    pollFailures: new Counter({
      name: 'outage_bot_poll_failures_total',
      help: 'Failed source polls by source kind and reason (timeout, network, http_status, bad_body, too_large, ...)',
      labelNames: ['kind', 'reason'],
      registers,
    }),
    pollDuration: new Histogram({
      name: 'outage_bot_poll_duration_seconds',
      help: 'Time from starting a poll to committing its result, by source kind and result',
      labelNames: ['kind', 'result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    sourceUp: new Gauge({
      name: 'outage_bot_source_up',
      help: 'Whether the last poll of a source (a feed of a service) succeeded: 1 or 0',
      labelNames: ['source', 'kind'],
      registers,
    }),
    sourceConsecutiveFailures: new Gauge({
      name: 'outage_bot_source_consecutive_failures',
      help: 'Failed polls in a row of a source, as recorded in its state',
      labelNames: ['source', 'kind'],
      registers,
    }),
    events: new Counter({
      name: 'outage_bot_incident_events_total',
      help: 'Incident events produced by the reconciler, by type',
      labelNames: ['type'],
      registers,
    }),
    deliveries: new Counter({
      name: 'outage_bot_deliveries_total',
      help: 'Delivery attempts by platform and result (sent, rate_limited, transient, channel_gone, permanent, parked, ...)',
      labelNames: ['platform', 'result'],
      registers,
    }),
    deliveryRetries: new Counter({
      name: 'outage_bot_delivery_retries_total',
      help: 'Deliveries put back in the outbox for another attempt, by platform and failure kind',
      labelNames: ['platform', 'reason'],
      registers,
    }),
    deliveryFailures: new Counter({
      name: 'outage_bot_delivery_failures_total',
      help: 'Failed delivery attempts by platform and failure kind (each may be retried)',
      labelNames: ['platform', 'kind'],
      registers,
    }),
    deliveryDeferrals: new Counter({
      name: 'outage_bot_delivery_deferrals_total',
      help: 'Claimed deliveries put back untried because their platform is being backed off as unreachable',
      labelNames: ['platform'],
      registers,
    }),
    updateToDelivery,
    outboxPending: new Gauge({
      name: 'outage_bot_outbox_pending',
      help: 'Deliveries waiting in the outbox (the whole store: every replica reports the same)',
      registers,
      async collect() {
        if (outbox) this.set(await outbox.probe.pending().catch(() => Number.NaN));
      },
    }),
    outboxOldestAge: new Gauge({
      name: 'outage_bot_outbox_oldest_age_seconds',
      help: 'Age of the oldest delivery waiting in the outbox; 0 when it is empty',
      registers,
      async collect() {
        if (!outbox) return;
        const oldest = await outbox.probe.oldestPendingAt().catch(() => null);
        if (oldest === null) this.set(Number.NaN);
        else this.set(oldest ? Math.max(0, outbox.now().getTime() - oldest.getTime()) / 1000 : 0);
      },
    }),
    ready: new Gauge({
      name: 'outage_bot_ready',
      help: 'Whether this replica is ready (what /readyz answers): 1 or 0',
      registers,
      async collect() {
        if (readiness) this.set((await readiness().catch(() => false)) === true ? 1 : 0);
      },
    }),
    watchReadiness(check) {
      readiness = check;
    },
    watchOutbox(probe, now) {
      outbox = { probe, now };
    },
    observeDelivered(platform, event, at) {
      const since = Date.parse(event.update?.at ?? event.subject.startedAt ?? '');
      if (Number.isNaN(since)) return;
      // A page's clock ahead of ours would give a negative time: counted as zero.
      updateToDelivery.observe(
        { platform, event: event.type },
        Math.max(0, at.getTime() - since) / 1000,
      );
    },
  };
}
