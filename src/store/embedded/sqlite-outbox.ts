import type { Database, Statement } from 'better-sqlite3';
import { type ChannelRef, channelKey, type Delivery } from '../../incidents/subscription.js';
import { DELIVERED_RETENTION_MS } from '../../lifetimes.js';
import { eventKey } from '../event-key.js';
import { type PlatformFilter, platformFilterArgs } from '../store.js';

interface OutboxRow {
  id: string;
  thread: string;
  body: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  possibly_sent: number;
  /** The event, stored once for all its deliveries; null for rows that carry it in `body`. */
  event: string | null;
}

const toDelivery = (row: OutboxRow): Delivery => {
  const delivery = JSON.parse(row.body) as Delivery;
  if (row.event !== null) delivery.event = JSON.parse(row.event);
  delivery.attempts = row.attempts;
  delivery.nextAttemptAt = new Date(row.next_attempt_at).toISOString();
  if (row.last_error === null) delete delivery.lastError;
  else delivery.lastError = row.last_error;
  if (row.possibly_sent === 1) delivery.possiblySent = true;
  else delete delivery.possiblySent;
  return delivery;
};

/** The due heads a claim takes: read through outbox_head's ready index, never a GROUP BY. */
export const CLAIM_SQL = `SELECT o.id, o.thread, o.body, o.attempts, o.next_attempt_at, o.last_error, o.possibly_sent,
              e.body AS event
       FROM outbox_head h
       JOIN outbox o ON o.seq = h.seq
       LEFT JOIN outbox_event e ON e.id = o.event_id
       LEFT JOIN thread_lease l ON l.thread = h.thread
       WHERE h.ready_at <= @now AND o.next_attempt_at <= @now
         AND (l.until IS NULL OR l.until <= @clock)
         AND (@mode = '' OR (@mode = 'only') =
           (instr(@platforms, ',' || substr(o.channel_key, 1, instr(o.channel_key, ':')) ) > 0))
       ORDER BY h.ready_at, h.seq
       LIMIT @limit`;

/**
 * The outbox tables of the embedded store. Synchronous: the store wraps each call in a promise.
 * Only a thread's head (lowest seq) is ever handed out, and `thread_lease` says who holds it.
 *
 * Bounds: each pending event is stored once in `outbox_event` (refs = its pending deliveries; the
 * last one to complete or be dropped deletes it), so N channels cost N small rows and one event
 * body. `outbox_head` holds one row per thread with its next ready time (a claimed thread's moves
 * to the lease's end, as in Redis), indexed, so a claim walks the due heads in order: O(claimed +
 * due heads still leased), never the whole outbox.
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
  private readonly oldestEnqueued: Statement;
  private readonly pruneDelivered: Statement;
  private readonly addEventRef: Statement;
  private readonly dropEventRef: Statement;
  private readonly deleteUnusedEvent: Statement;
  private readonly eventOf: Statement;
  private readonly addHead: Statement;
  private readonly firstOfThread: Statement;
  private readonly setHead: Statement;
  private readonly deleteHead: Statement;
  private readonly headReadyAt: Statement;
  private readonly retryHead: Statement;
  private readonly dropHeads: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO outbox
         (id, thread, channel_key, body, attempts, next_attempt_at, possibly_sent, event_id)
       VALUES (@id, @thread, @channelKey, @body, @attempts, @nextAttemptAt, @possiblySent, @eventId)`,
    );
    this.isDelivered = db.prepare('SELECT 1 FROM delivered WHERE id = ?').pluck();
    this.heads = db.prepare(CLAIM_SQL);
    this.addEventRef = db.prepare(
      `INSERT INTO outbox_event (id, body, refs) VALUES (?, ?, 1)
       ON CONFLICT (id) DO UPDATE SET refs = refs + 1`,
    );
    this.dropEventRef = db.prepare('UPDATE outbox_event SET refs = refs - 1 WHERE id = ?');
    this.deleteUnusedEvent = db.prepare('DELETE FROM outbox_event WHERE id = ? AND refs <= 0');
    this.eventOf = db.prepare('SELECT event_id FROM outbox WHERE id = ?').pluck();
    this.addHead = db.prepare(
      'INSERT OR IGNORE INTO outbox_head (thread, seq, ready_at) VALUES (?, ?, ?)',
    );
    this.firstOfThread = db.prepare(
      'SELECT seq, next_attempt_at FROM outbox WHERE thread = ? ORDER BY seq LIMIT 1',
    );
    this.setHead = db.prepare(
      'INSERT OR REPLACE INTO outbox_head (thread, seq, ready_at) VALUES (?, ?, ?)',
    );
    this.deleteHead = db.prepare('DELETE FROM outbox_head WHERE thread = ?');
    this.headReadyAt = db.prepare('UPDATE outbox_head SET ready_at = ? WHERE thread = ?');
    this.retryHead = db.prepare(
      `UPDATE outbox_head SET ready_at = @next
       WHERE thread = @thread AND seq = (SELECT seq FROM outbox WHERE id = @id)`,
    );
    this.dropHeads = db.prepare(
      'DELETE FROM outbox_head WHERE thread IN (SELECT thread FROM outbox WHERE channel_key = ?)',
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
    // Replicas' clocks differ, so insertion order is not enqueue-time order; ISO times sort as text.
    this.oldestEnqueued = db
      .prepare("SELECT MIN(json_extract(body, '$.enqueuedAt')) FROM outbox")
      .pluck();
    this.pruneDelivered = db.prepare('DELETE FROM delivered WHERE at < ?');
  }

  /** Inserts the deliveries whose ids are new. Call inside a transaction. */
  enqueue(deliveries: Delivery[]): number {
    let added = 0;
    for (const d of deliveries) {
      if (this.isDelivered.get(d.id) !== undefined) continue;
      const nextAttemptAt = Date.parse(d.nextAttemptAt);
      const event = eventKey(d.event);
      const result = this.insert.run({
        id: d.id,
        thread: d.thread,
        channelKey: channelKey(d.channel),
        body: JSON.stringify({ ...d, event: undefined }),
        attempts: d.attempts,
        nextAttemptAt,
        possiblySent: (d.possiblySent ?? d.attempts > 0) ? 1 : 0,
        eventId: event.key,
      });
      if (result.changes === 0) continue;
      this.addEventRef.run(event.key, event.json);
      // A thread with a head already keeps it: this one waits behind it.
      this.addHead.run(d.thread, result.lastInsertRowid, nextAttemptAt);
      added += 1;
    }
    return added;
  }

  /**
   * `now` decides which deliveries are due; `clock` (the store's own clock) times leases, as the
   * Redis server's clock does there, so completions and retries can judge expiry without a `now`.
   */
  claim(
    owner: string,
    now: number,
    clock: number,
    limit: number,
    leaseMs: number,
    filter?: PlatformFilter,
  ): Delivery[] {
    const { mode, platforms } = platformFilterArgs(filter);
    return this.db
      .transaction(() => {
        const rows = this.heads.all({
          now,
          clock,
          limit,
          mode,
          // `,slack:,discord:`: a platform is named when `,<platform>:` occurs in it.
          platforms: platforms.map((p) => `,${p}:`).join(''),
        }) as OutboxRow[];
        for (const row of rows) {
          this.lease.run(row.thread, owner, clock + leaseMs);
          // Out of the ready range while leased; the lease row stays the authority.
          this.headReadyAt.run(now + leaseMs, row.thread);
        }
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
      this.removeOne(delivery.id);
      this.remember.run(delivery.id, now);
      this.releaseLease.run(delivery.thread, owner);
      const first = this.firstOfThread.get(delivery.thread) as
        | { seq: number; next_attempt_at: number }
        | undefined;
      if (first) this.setHead.run(delivery.thread, first.seq, first.next_attempt_at);
      else this.deleteHead.run(delivery.thread);
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
        this.retryHead.run({ id: delivery.id, thread: delivery.thread, next });
        this.freeThread.run(delivery.thread);
      })
      .immediate();
  }

  /** Deletes one delivery row and its reference to the event (the last one deletes the event). */
  private removeOne(id: string): void {
    const eventId = this.eventOf.get(id) as string | null | undefined;
    this.remove.run(id);
    if (!eventId) return;
    this.dropEventRef.run(eventId);
    this.deleteUnusedEvent.run(eventId);
  }

  dropForChannel(channel: ChannelRef, now: number): number {
    return this.db
      .transaction(() => {
        const key = channelKey(channel);
        this.dropLeases.run(key);
        this.dropHeads.run(key);
        const ids = this.idsForChannel.all(key) as string[];
        for (const id of ids) {
          this.removeOne(id);
          this.remember.run(id, now);
        }
        return ids.length;
      })
      .immediate();
  }

  pending(): number {
    return this.count.get() as number;
  }

  oldestEnqueuedAt(): Date | undefined {
    const oldest = this.oldestEnqueued.get() as string | null;
    const at = oldest === null ? Number.NaN : Date.parse(oldest);
    return Number.isNaN(at) ? undefined : new Date(at);
  }

  /** Forgets old delivered ids, and leases of owners that died holding them. */
  prune(now: number): void {
    this.pruneDelivered.run(now - DELIVERED_RETENTION_MS);
    this.pruneLeases.run(now - 60 * 60 * 1000);
  }
}
