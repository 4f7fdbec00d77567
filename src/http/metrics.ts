import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The bot's Prometheus metrics, on a registry of its own (no global state between instances). */
export interface Metrics {
  registry: Registry;
  polls: Counter<'result'>;
  pollDuration: Histogram<'result'>;
  events: Counter<'type'>;
  deliveries: Counter<'platform' | 'result'>;
  outboxPending: Gauge;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'outage_bot_' });
  return {
    registry,
    polls: new Counter({
      name: 'outage_bot_polls_total',
      help: 'Source polls by result (ok, not_modified, failed, skipped, store_unavailable, internal_error, lease_lost)',
      labelNames: ['result'],
      registers: [registry],
    }),
    pollDuration: new Histogram({
      name: 'outage_bot_poll_duration_seconds',
      help: 'Time from starting a poll to committing its result',
      labelNames: ['result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    events: new Counter({
      name: 'outage_bot_incident_events_total',
      help: 'Incident events produced by the reconciler, by type',
      labelNames: ['type'],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'outage_bot_deliveries_total',
      help: 'Delivery attempts by platform and result (sent, rate_limited, transient, channel_gone, permanent)',
      labelNames: ['platform', 'result'],
      registers: [registry],
    }),
    outboxPending: new Gauge({
      name: 'outage_bot_outbox_pending',
      help: 'Deliveries waiting in the outbox',
      registers: [registry],
    }),
  };
}
