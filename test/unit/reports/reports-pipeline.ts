import { pino } from 'pino';
import type { IncidentEvent, Service } from '../../../src/incidents/model.js';
import { failedObservation, reconcile } from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import type { Connectivity } from '../../../src/sources/connectivity.js';
import { REPORTS_KIND, ReportsSource, reportsFeedOf } from '../../../src/sources/reports.js';
import { DEFAULT_FETCH_LIMITS } from '../../../src/sources/source.js';
import type { ReportLimits } from '../../../src/store/reports.js';
import type { Store } from '../../../src/store/store.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { catalogService } from '../../helpers/services.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const WEEK = 7 * 24 * HOUR;
export const WINDOW = 10 * MIN;

/** Generous limits: these tests are about counting, not about spam. */
export const LIMITS: ReportLimits = {
  dedupMs: WINDOW,
  perUser: { max: 1_000, windowMs: HOUR },
  perChannel: { max: 1_000_000, windowMs: HOUR },
};

/** A Monday 00:00 UTC, so hours of the week read plainly. */
export const MONDAY = Date.parse('2026-11-02T00:00:00.000Z');

/**
 * The reports half of the bot, with its clock in the test's hand: reports recorded in the real
 * store, the real reports feed reading them, and reconcile deciding; the events each poll
 * produced are kept in order. (The e2e test takes the same path through the real process.)
 */
export class ReportsPipeline {
  clock = MONDAY;
  state: ServiceState | undefined;
  readonly events: IncidentEvent[] = [];
  readonly service: Service;
  private readonly source: ReportsSource;

  constructor(
    private readonly store: Store,
    serviceId: string,
    options: { connectivity?: Connectivity } = {},
  ) {
    this.service = catalogService(serviceId, serviceId.toUpperCase());
    const feed = reportsFeedOf(this.service);
    this.source = new ReportsSource(this.service, feed.config, {
      fetch: globalThis.fetch,
      now: () => new Date(this.clock),
      logger: pino({ level: 'silent' }),
      limits: DEFAULT_FETCH_LIMITS,
      userAgent: 'test',
      reports: { store: store.reports, windowMs: WINDOW },
      ...(options.connectivity ? { connectivity: options.connectivity } : {}),
    });
    if (feed.config.kind !== REPORTS_KIND) throw new Error('not a reports feed');
  }

  report(user: string, atMs: number = this.clock) {
    return this.store.reports.record(
      {
        serviceId: this.service.id,
        reporterId: `slack:T1:${user}`,
        channel: `slack:T1:C${user.length % 7}`,
        at: atMs,
        text: '',
      },
      LIMITS,
    );
  }

  /** One poll of the reports feed at the current clock; returns its events. */
  async poll(): Promise<IncidentEvent[]> {
    const result = await this.source.poll();
    const at = new Date(this.clock).toISOString();
    const observation = !result.ok
      ? failedObservation(this.service.id, result.failure, at)
      : result.notModified
        ? { ok: true as const, notModified: true as const, serviceId: this.service.id, at }
        : result.snapshot;
    const { state, events } = reconcile(this.state, observation, {
      serviceName: this.service.name,
    });
    this.state = state;
    this.events.push(...events);
    return events;
  }

  /** Replays `reports` (time-ordered) up to `untilMs`, polling every `everyMs` on the way. */
  async run(reports: readonly TimedReport[], untilMs: number, everyMs = 5 * MIN) {
    let next = 0;
    for (let t = this.clock + everyMs; t <= untilMs; t += everyMs) {
      while (next < reports.length && (reports[next]?.at ?? Number.POSITIVE_INFINITY) <= t) {
        const { user, at } = reports[next] as TimedReport;
        await this.report(user, at);
        next++;
      }
      this.clock = t;
      await this.poll();
    }
  }

  starts(): IncidentEvent[] {
    return this.events.filter((e) => e.type === 'started' || e.type === 'reopened');
  }
}

export interface TimedReport {
  user: string;
  at: number;
}

/**
 * Background reports from `fromMs` for `durationMs`: in each 10-minute slot, `perSlot(hour of
 * day)` different people out of a pool of 400 report at random minutes, and about a third of them
 * report again a few minutes later (the same person: counted once).
 */
export function background(
  fromMs: number,
  durationMs: number,
  perSlot: (hourOfDay: number) => number,
  seed: number,
): TimedReport[] {
  const rnd = seededRandom(seed);
  const out: TimedReport[] = [];
  for (let slot = fromMs; slot < fromMs + durationMs; slot += WINDOW) {
    const hour = new Date(slot).getUTCHours();
    const people = new Set<string>();
    while (people.size < perSlot(hour)) people.add(`P${Math.floor(rnd() * 400)}`);
    for (const user of people) {
      const at = slot + Math.floor(rnd() * WINDOW);
      out.push({ user, at });
      if (rnd() < 0.33) out.push({ user, at: Math.min(at + 3 * MIN, slot + WINDOW - 1) });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}
