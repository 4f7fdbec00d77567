import type { Database, Statement } from 'better-sqlite3';
import type { Versioned } from '../store.js';
import { statementCache } from './statements.js';

/**
 * The embedded store's generic documents: plain ones (table doc) and compare-and-set ones
 * (table versioned_doc), each with an optional expiry.
 */
export class SqliteDocuments {
  private readonly sql: (source: string) => Statement;

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {
    this.sql = statementCache(db);
  }

  get<T>(key: string): T | undefined {
    const body = this.sql(
      'SELECT body FROM doc WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
    )
      .pluck()
      .get(key, this.now()) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as T);
  }

  put<T>(key: string, value: T, ttlMs?: number): void {
    const expiresAt = ttlMs === undefined ? null : this.now() + ttlMs;
    this.sql('INSERT OR REPLACE INTO doc (key, body, expires_at) VALUES (?, ?, ?)').run(
      key,
      JSON.stringify(value),
      expiresAt,
    );
  }

  getVersioned<T>(key: string): Versioned<T> {
    const row = this.sql(
      `SELECT body, version FROM versioned_doc
       WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)`,
    ).get(key, this.now()) as { body: string; version: number } | undefined;
    return row
      ? { value: JSON.parse(row.body) as T, version: row.version }
      : { value: undefined, version: 0 };
  }

  putVersioned<T>(key: string, value: T, expectedVersion: number, ttlMs?: number): boolean {
    const now = this.now();
    const write = this.db.transaction((): boolean => {
      const current = this.sql(
        `SELECT version FROM versioned_doc
         WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)`,
      )
        .pluck()
        .get(key, now) as number | undefined;
      if ((current ?? 0) !== expectedVersion) return false;
      this.sql(
        'INSERT OR REPLACE INTO versioned_doc (key, body, version, expires_at) VALUES (?, ?, ?, ?)',
      ).run(
        key,
        JSON.stringify(value),
        expectedVersion + 1,
        ttlMs === undefined ? null : now + ttlMs,
      );
      return true;
    });
    // IMMEDIATE: the write lock is taken before the version is read, so another process cannot
    // write between the read and the write.
    return write.immediate();
  }

  /** Forgets the expired documents of both tables (chat-added services are doc rows too). */
  prune(now: number): void {
    this.sql('DELETE FROM doc WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
    this.sql('DELETE FROM versioned_doc WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
  }
}
