import type { Logger } from 'pino';
import type {
  PollResult,
  Service,
  Snapshot,
  SourceConfig,
  SourceFailure,
} from '../incidents/model.js';
import { ConditionalGet } from './conditional-get.js';
import type { Source, SourceDeps, SourceKind } from './source.js';
import { buildSnapshotTimed } from './statuspage-format.js';
import {
  type ParseResult,
  parseIncidentsList,
  parseSummary,
  type StatuspageIncident,
  type StatuspageSummary,
} from './statuspage-schema.js';

/**
 * Atlassian Statuspage v2 (and incident.io's imitation of it). Each poll reads summary.json
 * (open incidents, maintenances, components) and incidents.json (recent history, the only place
 * a resolution is confirmed, DESIGN.md rule 5). Both are requested conditionally; the last good
 * parse per URL is kept in memory so a 304 costs no parsing.
 */

export const SUMMARY_PATH = '/api/v2/summary.json';
export const INCIDENTS_PATH = '/api/v2/incidents.json';

/** `https://x.com/`, `https://x.com/api/v2/summary.json` -> `https://x.com` (query dropped). */
export function statuspageBaseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  const path = parsed.pathname.replace(/\/api(\/v2(\/[^?#]*)?)?\/?$/, '').replace(/\/+$/, '');
  return `${parsed.origin}${path}`;
}

/** While incidents.json keeps failing, every this many polls log a warning again. */
export const HISTORY_WARN_EVERY = 10;

type Fetched<T> = { ok: true; value: T } | { ok: false; failure: SourceFailure };

export class StatuspageSource implements Source {
  private readonly baseUrl: string;
  private readonly logger: Logger;
  private readonly http: ConditionalGet;
  /** Polls in a row (with a readable summary) whose incidents.json could not be read. */
  private historyFailures = 0;
  /** The last snapshot and the parses it was built from (the same objects while unchanged). */
  private lastBuilt?: {
    summary: StatuspageSummary;
    recent: StatuspageIncident[];
    snapshot: Snapshot;
  };

  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.baseUrl = statuspageBaseUrl(config.url);
    this.http = new ConditionalGet(service, deps);
    this.logger = deps.logger.child({ source: 'statuspage', url: this.baseUrl });
  }

  async poll(signal?: AbortSignal): Promise<PollResult> {
    try {
      const [summary, recent] = await Promise.all([
        this.get<StatuspageSummary>(SUMMARY_PATH, parseSummary, signal),
        this.get<StatuspageIncident[]>(INCIDENTS_PATH, parseIncidentsList, signal),
      ]);
      if (!summary.ok) return { ok: false, failure: summary.failure };
      this.noteHistory(recent);
      const fetchedAt = this.deps.now().toISOString();
      const last = this.lastBuilt;
      // Both pages as last time (a 304, or the same bytes): the snapshot is the same but its time.
      if (recent.ok && last?.summary === summary.value && last.recent === recent.value) {
        return { ok: true, snapshot: { ...last.snapshot, fetchedAt } };
      }
      const { snapshot, usesFetchTime } = buildSnapshotTimed({
        serviceId: this.service.id,
        fetchedAt,
        baseUrl: this.baseUrl,
        summary: summary.value,
        ...(recent.ok ? { recent: recent.value } : {}),
      });
      this.lastBuilt =
        recent.ok && !usesFetchTime
          ? { summary: summary.value, recent: recent.value, snapshot }
          : undefined;
      return { ok: true, snapshot };
    } catch (err) {
      // Defensive: poll() must never throw, whatever a collaborator does.
      const message = `unexpected: ${(err as Error).message ?? String(err)}`;
      return { ok: false, failure: { kind: 'bad_body', message } };
    }
  }

  /**
   * Open incidents are still known without incidents.json, but resolutions wait for it (or for a
   * long absence from the summary), so a failing history matters to the operator: warn on the
   * first failure after a success and on every HISTORY_WARN_EVERY-th in a row, not every poll.
   */
  private noteHistory(recent: Fetched<unknown>): void {
    if (recent.ok) {
      if (this.historyFailures > 0) {
        this.logger.info({ failedPolls: this.historyFailures }, 'incidents.json readable again');
      }
      this.historyFailures = 0;
      return;
    }
    this.historyFailures += 1;
    const failedPolls = this.historyFailures;
    const loud = failedPolls === 1 || failedPolls % HISTORY_WARN_EVERY === 0;
    const message = 'incidents.json unavailable: resolutions are inferred from the summary only';
    if (loud) this.logger.warn({ failure: recent.failure, failedPolls }, message);
    else this.logger.debug({ failure: recent.failure, failedPolls }, message);
  }

  private async get<T>(
    path: string,
    parse: (body: string) => ParseResult<T>,
    signal: AbortSignal | undefined,
  ): Promise<Fetched<T>> {
    return this.http.get(`${this.baseUrl}${path}`, parse, { signal });
  }
}

export const statuspageKind: SourceKind = {
  kind: 'statuspage',
  create: (service, config, deps) => new StatuspageSource(service, config, deps),
};
