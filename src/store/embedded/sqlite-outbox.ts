import type { Database, Statement } from 'better-sqlite3';
import { type ChannelRef, channelKey, type Delivery } from '../../incidents/subscription.js';

/** How long ids of delivered or dropped deliveries are remembered for deduplication. */
export const DELIVERED_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

interface OutboxRow {
  id: string;
  thread: string;
  body: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  possibly_sent: number;
}

const toDelivery = (row: OutboxRow): Delivery => {
  const delivery = JSON.parse(row.body) as Delivery;
  delivery.attempts = row.attempts;
  delivery.nextAttemptAt = new Date(row.next_attempt_at).toISOString();
  if (row.last_error === null) delete delivery.lastError;
  else delivery.lastError = row.last_error;
  if (row.possibly_sent === 1) delivery.possiblySent = true;
  else delete delivery.possiblySent;
  return delivery;
};

/**
 * The outbox tables of the embedded store. Synchronous: the store wraps each call in a promise.
 * Only a thread's head (lowest seq) is ever handed out, and `thread_lease` says who holds it.
 */
export class SqliteOutbox {
  private readonly insert: Statement;
  private readonly isDelivered: Statement;
  private readonly heads: Statement;
  private readonly lease: Statement;
  private readonly remove: Statement;
  private readonly remember: Statement;
  private readonly releaseLease: Statement;
  private readonly leaseHolder: Statement;
  private readonly freeThread: Statement;
  private readonly dropLeases: Statement;
  private readonly pruneLeases: Statement;
  private readonly reschedule: Statement;
  private readonly extend: Statement;
  private readonly attempt: Statement;
  private readonly idsForChannel: Statement;
  private readonly count: Statement;
  private readonly pruneDelivered: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO outbox
         (id, thread, channel_key, body, attempts, next_attempt_at, possibly_sent)
       VALUES (@id, @thread, @channelKey, @body, @attempts, @nextAttemptAt, @possiblySent)`,
    );
    this.isDelivered = db.prepare('SELECT 1 FROM delivered WHERE id = ?').pluck();
    this.heads = db.prepare(
      `SELECT o.id, o.thread, o.body, o.attempts, o.next_attempt_at, o.last_error, o.possibly_sent
       FROM outbox o
       JOIN (SELECT thread, MIN(seq) AS seq FROM outbox GROUP BY thread) h ON h.seq = o.seq
       LEFT JOIN thread_lease l ON l.thread = o.thread
       WHERE o.next_attempt_at <= @now AND (l.until IS NULL OR l.until <= @clock)
       ORDER BY o.next_attempt_at, o.seq
       LIMIT @limit`,
    );
    this.lease = db.prepare(
      'INSERT OR REPLACE INTO thread_lease (thread, owner, until) VALUES (?, ?, ?)',
    );
    this.remove = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.remember = db.prepare('INSERT OR REPLACE INTO delivered (id, at) VALUES (?, ?)');
    this.releaseLease = db.prepare('DELETE FROM thread_lease WHERE thread = ? AND owner = ?');
    this.leaseHolder = db
      .prepare('SELECT owner FROM thread_lease WHERE thread = ? AND until > ?')
      .pluck();
    this.freeThread = db.prepare('DELETE FROM thread_lease WHERE thread = ?');
    this.dropLeases = db.prepare(
      'DELETE FROM thread_lease WHERE thread IN (SELECT thread FROM outbox WHERE channel_key = ?)',
    );
    this.pruneLeases = db.prepare('DELETE FROM thread_lease WHERE until < ?');
    this.reschedule = db.prepare(
      `UPDATE outbox SET next_attempt_at = @next, last_error = @error,
         attempts = MAX(attempts, @attempts), possibly_sent = COALESCE(@possiblySent, possibly_sent)
       WHERE id = @id`,
    );
    // Only a live lease of this owner, on a thread whose head is still this delivery.
    this.extend = db.prepare(
      `UPDATE thread_lease SET until = @until
       WHERE thread = @thread AND owner = @owner AND until > @clock
         AND (SELECT id FROM outbox WHERE thread = @thread ORDER BY seq LIMIT 1) = @id`,
    );
    this.attempt = db.prepare(
      'UPDATE outbox SET attempts = attempts + 1, possibly_sent = 1 WHERE id = ?',
    );
    this.idsForChannel = db.prepare('SELECT id FROM outbox WHERE channel_key = ?').pluck();
    this.count = db.prepare('SELECT COUNT(*) FROM outbox').pluck();
    this.pruneDelivered = db.prepare('DELETE FROM delivered WHERE at < ?');
  }

  /** Inserts the deliveries whose ids are new. Call inside a transaction. */
  enqueue(deliveries: Delivery[]): number {
    let added = 0;
    for (const d of deliveries) {
      if (this.isDelivered.get(d.id) !== undefined) continue;
      const result = this.insert.run({
        id: d.id,
        thread: d.thread,
        channelKey: channelKey(d.channel),
        body: JSON.stringify(d),
        attempts: d.attempts,
        nextAttemptAt: Date.parse(d.nextAttemptAt),
        possiblySent: (d.possiblySent ?? d.attempts > 0) ? 1 : 0,
      });
      added += result.changes;
    }
    return added;
  }

  /**
   * `now` decides which deliveries are due; `clock` (the store's own clock) times leases, as the
   * Redis server's clock does there, so completions and retries can judge expiry without a `now`.
   */
  claim(owner: string, now: number, clock: number, limit: number, leaseMs: number): Delivery[] {
    return this.db
      .transaction(() => {
        const rows = this.heads.all({ now, clock, limit }) as OutboxRow[];
        for (const row of rows) this.lease.run(row.thread, owner, clock + leaseMs);
        return rows.map(toDelivery);
      })
      .immediate();
  }

  renew(delivery: Delivery, owner: string, clock: number, leaseMs: number): boolean {
    const { id, thread } = delivery;
    return this.extend.run({ id, thread, owner, clock, until: clock + leaseMs }).changes > 0;
  }

  markAttempt(id: string): void {
    this.attempt.run(id);
  }

  complete(delivery: Delivery, owner: string, now: number): void {
    this.db.transaction(() => {
      this.remove.run(delivery.id);
      this.remember.run(delivery.id, now);
      this.releaseLease.run(delivery.thread, owner);
    })();
  }

  retry(delivery: Delivery, owner: string, next: number, error: string, now: number): void {
    this.db
      .transaction(() => {
        // Another owner's live lease means it took the delivery over; its outcome wins.
        const holder = this.leaseHolder.get(delivery.thread, now) as string | undefined;
        if (holder !== undefined && holder !== owner) return;
        const { attempts, possiblySent } = delivery;
        this.reschedule.run({
          id: delivery.id,
          next,
          error,
          attempts,
          possiblySent: possiblySent === undefined ? null : possiblySent ? 1 : 0,
        });
        this.freeThread.run(delivery.thread);
      })
      .immediate();
  }

  dropForChannel(channel: ChannelRef, now: number): number {
    return this.db
      .transaction(() => {
        const key = channelKey(channel);
        this.dropLeases.run(key);
        const ids = this.idsForChannel.all(key) as string[];
        for (const id of ids) {
          this.remove.run(id);
          this.remember.run(id, now);
        }
        return ids.length;
      })
      .immediate();
  }

  pending(): number {
    return this.count.get() as number;
  }

  /** Forgets old delivered ids, and leases of owners that died holding them. */
  prune(now: number): void {
    this.pruneDelivered.run(now - DELIVERED_RETENTION_MS);
    this.pruneLeases.run(now - 60 * 60 * 1000);
  }
}
