import type { PollResult, Service, SourceConfig } from '../incidents/model.js';
import type { ReportStore } from '../store/reports.js';
import type { Feed } from './feeds.js';
import type { Source, SourceDeps, SourceKind } from './source.js';

/** What the reports feed reads: the store's counts, over REPORT_WINDOW_MS. */
export interface ReportsDeps {
  store: Pick<ReportStore, 'countReporters' | 'level'>;
  windowMs: number;
}

export const REPORTS_KIND = 'reports';

/**
 * Every service's internal feed of user reports (`/outage report`), next to its real sources and
 * polled like them (own state, lease and thread), so that reports go through the same pipeline.
 * Its key cannot clash with a configured source's (`<id>#<index>:<kind>`).
 */
export const reportsFeedOf = (service: Service): Feed => ({
  key: `${service.id}#reports`,
  service,
  index: service.sources.length,
  config: { kind: REPORTS_KIND, url: `reports:${service.id}` },
});

/**
 * Reads how many people report the service now and how many usually do at this hour of the week;
 * deciding whether that is an incident is the reconciler's (reconcile-reports.ts). While people
 * report and the bot's own network is down (the probes' control targets fail), it answers
 * `offline`, which changes nothing: the bot's outage is not the service's.
 */
export class ReportsSource implements Source {
  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
  ) {}

  async poll(signal?: AbortSignal): Promise<PollResult> {
    const reports = this.deps.reports;
    if (!reports) return failure('network', 'no report store was given to the reports feed');
    const at = this.deps.now();
    const atMs = at.getTime();
    let reporters: number;
    let usualPerHour: number | undefined;
    try {
      const [count, level] = await Promise.all([
        reports.store.countReporters(this.service.id, atMs - reports.windowMs, atMs),
        reports.store.level(this.service.id, atMs),
      ]);
      reporters = count;
      usualPerHour = level.perHour;
    } catch (err) {
      return failure(
        'network',
        `report store: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    this.deps.logger.debug({ reporters, usualPerHour }, 'reports counted');
    const connectivity = this.deps.connectivity;
    if (reporters > 0 && connectivity && !(await connectivity.online(signal).catch(() => false))) {
      return failure(
        'offline',
        `${reporters} reports of ${this.service.id} not counted while the control targets fail`,
      );
    }
    return {
      ok: true,
      snapshot: {
        serviceId: this.service.id,
        fetchedAt: at.toISOString(),
        incidents: [],
        maintenances: [],
        components: [],
        resolutionsKnown: false,
        reports: {
          reporters,
          windowMs: reports.windowMs,
          ...(usualPerHour !== undefined ? { usualPerHour } : {}),
        },
      },
    };
  }
}

const failure = (kind: 'network' | 'offline', message: string): PollResult => ({
  ok: false,
  failure: { kind, message },
});

export const reportsKind: SourceKind = {
  kind: REPORTS_KIND,
  create: (service, config, deps) => new ReportsSource(service, config, deps),
};
