import type { Database, Statement } from 'better-sqlite3';
import type { ThreadRef } from '../../incidents/subscription.js';
import { THREAD_REF_TTL_MS } from '../../lifetimes.js';
import { statementCache } from './statements.js';

/** The embedded store's thread refs (table thread_ref), kept THREAD_REF_TTL_MS. */
export class SqliteThreads {
  private readonly sql: (source: string) => Statement;

  constructor(
    db: Database,
    private readonly now: () => number,
  ) {
    this.sql = statementCache(db);
  }

  get(thread: string): ThreadRef | undefined {
    const body = this.sql(
      'SELECT body FROM thread_ref WHERE thread = ? AND (expires_at IS NULL OR expires_at > ?)',
    )
      .pluck()
      .get(thread, this.now());
    return body === undefined ? undefined : (JSON.parse(body as string) as ThreadRef);
  }

  getMany(threads: readonly string[]): Map<string, ThreadRef> {
    const rows = this.sql(
      `SELECT thread, body FROM thread_ref WHERE thread IN (SELECT value FROM json_each(?))
         AND (expires_at IS NULL OR expires_at > ?)`,
    ).all(JSON.stringify(threads), this.now()) as { thread: string; body: string }[];
    return new Map(rows.map((row) => [row.thread, JSON.parse(row.body) as ThreadRef]));
  }

  put(thread: string, ref: ThreadRef): void {
    this.sql('INSERT OR REPLACE INTO thread_ref (thread, body, expires_at) VALUES (?, ?, ?)').run(
      thread,
      JSON.stringify(ref),
      this.now() + THREAD_REF_TTL_MS,
    );
  }

  /** Forgets the expired refs. */
  prune(now: number): void {
    this.sql('DELETE FROM thread_ref WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
  }
}
