import type { Database, Statement } from 'better-sqlite3';
import {
  BASELINE_KEPT_MS,
  foldHours,
  hourOf,
  levelAt,
  type RateLimit,
  REPORT_TEXTS_KEPT,
  REPORTERS_KEPT_MS,
  type ReportBaseline,
  type ReportLevel,
  type ReportLimits,
  type ReportOutcome,
  type ReportStore,
  type StoredReport,
  type UserReport,
} from '../reports.js';
import { statementCache } from './statements.js';

/** The embedded store's reports (tables of migration 5); each change is one transaction. */
export class SqliteReports implements ReportStore {
  private readonly sql: (source: string) => Statement;

  constructor(private readonly db: Database) {
    this.sql = statementCache(db);
  }

  async record(report: UserReport, limits: ReportLimits): Promise<ReportOutcome> {
    return this.db
      .transaction((): ReportOutcome => {
        const { serviceId, reporterId, at } = report;
        this.sql('DELETE FROM report_rate WHERE expires_at <= ?').run(at);
        if (this.overLimit(`u:${reporterId}`, limits.perUser, at)) return 'user_limited';
        if (this.overLimit(`c:${report.channel}`, limits.perChannel, at)) return 'channel_limited';
        const previous = this.sql(
          'SELECT at FROM report_reporter WHERE service_id = ? AND reporter = ?',
        )
          .pluck()
          .get(serviceId, reporterId) as number | undefined;
        this.sql(
          `INSERT INTO report_reporter (service_id, reporter, at) VALUES (?, ?, ?)
             ON CONFLICT (service_id, reporter) DO UPDATE SET at = MAX(at, excluded.at)`,
        ).run(serviceId, reporterId, at);
        this.sql('DELETE FROM report_reporter WHERE service_id = ? AND at < ?').run(
          serviceId,
          at - REPORTERS_KEPT_MS,
        );
        this.sql(
          'INSERT INTO report_text (service_id, reporter, channel_key, at, body) VALUES (?, ?, ?, ?, ?)',
        ).run(serviceId, reporterId, report.channel, at, report.text);
        this.sql(
          `DELETE FROM report_text WHERE service_id = ? AND seq NOT IN
             (SELECT seq FROM report_text WHERE service_id = ? ORDER BY seq DESC LIMIT ?)`,
        ).run(serviceId, serviceId, REPORT_TEXTS_KEPT);
        if (previous !== undefined && previous > at - limits.dedupMs) return 'duplicate';
        this.sql(
          `INSERT INTO report_hour (service_id, hour, count) VALUES (?, ?, 1)
             ON CONFLICT (service_id, hour) DO UPDATE SET count = count + 1`,
        ).run(serviceId, hourOf(at));
        this.sql(
          `INSERT INTO report_service (service_id, last_at) VALUES (?, ?)
             ON CONFLICT (service_id) DO UPDATE SET last_at = MAX(last_at, excluded.last_at)`,
        ).run(serviceId, at);
        return 'counted';
      })
      .immediate();
  }

  async countReporters(
    serviceId: string,
    sinceMs: number,
    untilMs: number,
    except = '',
  ): Promise<number> {
    return this.sql(
      `SELECT COUNT(*) FROM report_reporter
         WHERE service_id = ? AND at >= ? AND at <= ? AND reporter <> ?`,
    )
      .pluck()
      .get(serviceId, sinceMs, untilMs, except) as number;
  }

  async level(serviceId: string, atMs: number): Promise<ReportLevel> {
    return this.db
      .transaction((): ReportLevel => {
        this.sql('DELETE FROM report_baseline WHERE expires_at <= ?').run(atMs);
        const body = this.sql('SELECT body FROM report_baseline WHERE service_id = ?')
          .pluck()
          .get(serviceId) as string | undefined;
        const previous = body === undefined ? undefined : (JSON.parse(body) as ReportBaseline);
        const untilHour = hourOf(atMs);
        if (previous && previous.nextHour >= untilHour) return levelAt(previous, atMs);
        const rows = this.sql(
          'SELECT hour, count FROM report_hour WHERE service_id = ? AND hour < ?',
        ).all(serviceId, untilHour) as { hour: number; count: number }[];
        if (!previous && rows.length === 0) return {};
        const counts = new Map(rows.map((r) => [r.hour, r.count]));
        const { baseline } = foldHours(previous, counts, untilHour);
        this.sql(
          'INSERT OR REPLACE INTO report_baseline (service_id, body, expires_at) VALUES (?, ?, ?)',
        ).run(serviceId, JSON.stringify(baseline), atMs + BASELINE_KEPT_MS);
        this.sql('DELETE FROM report_hour WHERE service_id = ? AND hour < ?').run(
          serviceId,
          untilHour,
        );
        return levelAt(baseline, atMs);
      })
      .immediate();
  }

  async reportedSince(sinceMs: number): Promise<string[]> {
    // Called every tick: the sweep of services nobody reports any more (Redis expires them).
    this.sql('DELETE FROM report_service WHERE last_at < ?').run(sinceMs - BASELINE_KEPT_MS);
    this.sql('DELETE FROM report_reporter WHERE at < ?').run(sinceMs - REPORTERS_KEPT_MS);
    this.sql('DELETE FROM report_hour WHERE hour < ?').run(hourOf(sinceMs - BASELINE_KEPT_MS));
    return this.sql('SELECT service_id FROM report_service WHERE last_at >= ? ORDER BY service_id')
      .pluck()
      .all(sinceMs) as string[];
  }

  async recent(serviceId: string, limit: number): Promise<StoredReport[]> {
    const rows = this.sql(
      `SELECT reporter, channel_key, at, body FROM report_text
         WHERE service_id = ? ORDER BY seq DESC LIMIT ?`,
    ).all(serviceId, limit) as {
      reporter: string;
      channel_key: string;
      at: number;
      body: string;
    }[];
    return rows.map((r) => ({
      reporterId: r.reporter,
      channel: r.channel_key,
      at: r.at,
      text: r.body,
    }));
  }

  /** Counts one more report in the limit's current fixed window; true once past its max. */
  private overLimit(key: string, limit: RateLimit, at: number): boolean {
    const window = Math.floor(at / limit.windowMs);
    const count = this.sql(
      `INSERT INTO report_rate (key, count, expires_at) VALUES (?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET count = count + 1 RETURNING count`,
    )
      .pluck()
      .get(`${key}:${window}`, (window + 1) * limit.windowMs) as number;
    return count > limit.max;
  }
}
