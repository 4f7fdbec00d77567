import type { Database, Statement } from 'better-sqlite3';
import { type ChannelRef, channelKey, type Delivery } from '../../incidents/subscription.js';

/** How long ids of delivered or dropped deliveries are remembered for deduplication. */
export const DELIVERED_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

interface OutboxRow {
  id: string;
  body: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

const toDelivery = (row: OutboxRow): Delivery => {
  const delivery = JSON.parse(row.body) as Delivery;
  delivery.attempts = row.attempts;
  delivery.nextAttemptAt = new Date(row.next_attempt_at).toISOString();
  if (row.last_error === null) delete delivery.lastError;
  else delivery.lastError = row.last_error;
  return delivery;
};

/**
 * The outbox tables of the embedded store. Synchronous: the store wraps each call in a promise.
 * A thread lease lives on the thread's head row (lease_owner, lease_until); only the head of a
 * thread is ever leased, so that is the same as leasing the thread.
 */
export class SqliteOutbox {
  private readonly insert: Statement;
  private readonly isDelivered: Statement;
  private readonly heads: Statement;
  private readonly lease: Statement;
  private readonly remove: Statement;
  private readonly remember: Statement;
  private readonly releaseLease: Statement;
  private readonly reschedule: Statement;
  private readonly attempt: Statement;
  private readonly idsForChannel: Statement;
  private readonly count: Statement;
  private readonly prune: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO outbox (id, thread, channel_key, body, attempts, next_attempt_at)
       VALUES (@id, @thread, @channelKey, @body, @attempts, @nextAttemptAt)`,
    );
    this.isDelivered = db.prepare('SELECT 1 FROM delivered WHERE id = ?').pluck();
    this.heads = db.prepare(
      `SELECT o.id, o.body, o.attempts, o.next_attempt_at, o.last_error
       FROM outbox o
       JOIN (SELECT thread, MIN(seq) AS seq FROM outbox GROUP BY thread) h ON h.seq = o.seq
       WHERE o.next_attempt_at <= @now AND (o.lease_until IS NULL OR o.lease_until <= @now)
       ORDER BY o.next_attempt_at, o.seq
       LIMIT @limit`,
    );
    this.lease = db.prepare('UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ?');
    this.remove = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.remember = db.prepare('INSERT OR REPLACE INTO delivered (id, at) VALUES (?, ?)');
    this.releaseLease = db.prepare(
      `UPDATE outbox SET lease_owner = NULL, lease_until = NULL
       WHERE thread = ? AND lease_owner = ?`,
    );
    // Another owner's live lease means that owner took the delivery over; leave it to them.
    this.reschedule = db.prepare(
      `UPDATE outbox SET next_attempt_at = @next, last_error = @error,
         lease_owner = NULL, lease_until = NULL
       WHERE id = @id AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until <= @now)`,
    );
    this.attempt = db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE id = ?');
    this.idsForChannel = db.prepare('SELECT id FROM outbox WHERE channel_key = ?').pluck();
    this.count = db.prepare('SELECT COUNT(*) FROM outbox').pluck();
    this.prune = db.prepare('DELETE FROM delivered WHERE at < ?');
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
      });
      added += result.changes;
    }
    return added;
  }

  claim(owner: string, now: number, limit: number, leaseMs: number): Delivery[] {
    return this.db
      .transaction(() => {
        const rows = this.heads.all({ now, limit }) as OutboxRow[];
        for (const row of rows) this.lease.run(owner, now + leaseMs, row.id);
        return rows.map(toDelivery);
      })
      .immediate();
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
    this.reschedule.run({ id: delivery.id, owner, next, error, now });
  }

  dropForChannel(channel: ChannelRef, now: number): number {
    return this.db
      .transaction(() => {
        const ids = this.idsForChannel.all(channelKey(channel)) as string[];
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

  pruneDelivered(now: number): void {
    this.prune.run(now - DELIVERED_RETENTION_MS);
  }
}
