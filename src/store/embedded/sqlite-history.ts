import type { Database, Statement } from 'better-sqlite3';
import {
  endMsOf,
  HISTORY_INCIDENTS_KEPT,
  type HistoryIncident,
  type HistoryStore,
  mergeIncident,
  startMsOf,
  withinRetention,
} from '../history.js';
import { statementCache } from './statements.js';

/** The embedded store's incident history (migration 6); each record is one transaction. */
export class SqliteHistory implements HistoryStore {
  private readonly sql: (source: string) => Statement;

  constructor(
    private readonly db: Database,
    private readonly retentionMs: number,
  ) {
    this.sql = statementCache(db);
  }

  async record(
    serviceId: string,
    incidents: readonly HistoryIncident[],
    nowMs: number,
  ): Promise<void> {
    this.db
      .transaction(() => {
        for (const seen of withinRetention(incidents, nowMs, this.retentionMs)) {
          const known = this.sql(
            'SELECT body FROM history WHERE service_id = ? AND incident_id = ?',
          )
            .pluck()
            .get(serviceId, seen.id) as string | undefined;
          const merged = mergeIncident(
            known === undefined ? undefined : (JSON.parse(known) as HistoryIncident),
            seen,
          );
          this.sql(
            `INSERT OR REPLACE INTO history
               (service_id, incident_id, started_at, ended_at, seen_at, body)
               VALUES (?, ?, ?, ?, ?, ?)`,
          ).run(
            serviceId,
            merged.id,
            startMsOf(merged),
            endMsOf(merged) ?? null,
            nowMs,
            JSON.stringify(merged),
          );
        }
        this.sql(
          `DELETE FROM history WHERE service_id = ? AND incident_id IN (
             SELECT incident_id FROM history WHERE service_id = ?
               ORDER BY started_at DESC, incident_id DESC LIMIT -1 OFFSET ?)`,
        ).run(serviceId, serviceId, HISTORY_INCIDENTS_KEPT);
        const cutoff = nowMs - this.retentionMs;
        this.sql('DELETE FROM history WHERE service_id = ? AND (ended_at < ? OR seen_at < ?)').run(
          serviceId,
          cutoff,
          cutoff,
        );
      })
      .immediate();
  }

  async list(serviceId: string, sinceMs: number): Promise<HistoryIncident[]> {
    const bodies = this.sql(
      `SELECT body FROM history WHERE service_id = ? AND (ended_at IS NULL OR ended_at >= ?)
         ORDER BY started_at, incident_id`,
    )
      .pluck()
      .all(serviceId, sinceMs) as string[];
    return bodies.map((body) => JSON.parse(body) as HistoryIncident);
  }

  /**
   * Forgets, for every service, incidents that ended before the retention and those no poll
   * reported for as long (a service nobody follows any more); the store's hourly sweep.
   */
  prune(nowMs: number): void {
    const cutoff = nowMs - this.retentionMs;
    this.sql('DELETE FROM history WHERE ended_at < ? OR seen_at < ?').run(cutoff, cutoff);
  }
}
