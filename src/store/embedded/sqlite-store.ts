import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Service } from '../../incidents/model.js';
import type { VersionedSignals } from '../../incidents/signal-state.js';
import type { ServiceState } from '../../incidents/state.js';
import {
  type ChannelRef,
  channelKey,
  type Delivery,
  type Subscription,
  type ThreadRef,
} from '../../incidents/subscription.js';
import { CHAT_SERVICE_GRACE_MS, THREAD_REF_TTL_MS } from '../../lifetimes.js';
import { DEFAULT_HISTORY_RETENTION_MS } from '../history.js';
import {
  type ClaimOptions,
  type LeaseFence,
  type PollStart,
  type SignalsCommit,
  type Store,
  stateKeyOf,
  type Versioned,
} from '../store.js';
import { migrate } from './schema.js';
import { SqliteDigests } from './sqlite-digests.js';
import { SqliteHistory } from './sqlite-history.js';
import { SqliteOutbox } from './sqlite-outbox.js';
import { SqliteReports } from './sqlite-reports.js';
import { SqliteSignals } from './sqlite-signals.js';
import { statementCache } from './statements.js';

export interface SqliteStoreOptions {
  /** Folder holding `outage-bot.sqlite` (created if missing). */
  dataDir: string;
  logger: Logger;
  /** Clock for lease, mute and document expiry; claims judge due-ness by the `now` given. */
  now?: () => number;
  /** How long a chat-added page nobody follows is kept (default CHAT_SERVICE_GRACE_MS). */
  chatServiceGraceMs?: number;
  /** How long incident history is kept (default DEFAULT_HISTORY_RETENTION_MS, 90 days). */
  historyRetentionMs?: number;
}

/**
 * Chat-added services are rows of the doc table under this key prefix (one row each), so they
 * need no schema of their own; `expires_at` is their grace period while nobody follows them.
 */
const CHAT_SERVICE_KEY = 'chat-service:';

/** Expired documents and old delivered ids are swept at most this often. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * The embedded store: SQLite through better-sqlite3, in WAL mode so readers never block the
 * writer. Several processes may open the same file (replicas on one host); every multi-statement
 * change runs in one transaction, and claims take the write lock up front (BEGIN IMMEDIATE).
 * `synchronous = NORMAL`: a killed process loses nothing; a power cut may lose the last commits.
 */
export class SqliteStore implements Store {
  readonly kind = 'embedded' as const;
  readonly path: string;
  private readonly db: Database.Database;
  private readonly outbox: SqliteOutbox;
  readonly reports: SqliteReports;
  readonly history: SqliteHistory;
  readonly digests: SqliteDigests;
  private readonly signals: SqliteSignals;
  private readonly now: () => number;
  private readonly chatServiceGraceMs: number;
  private readonly sql: (source: string) => Statement;
  private lastSweep = 0;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, 'outage-bot.sqlite');
    this.now = options.now ?? Date.now;
    this.chatServiceGraceMs = options.chatServiceGraceMs ?? CHAT_SERVICE_GRACE_MS;
    this.db = new Database(this.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Another process holding the write lock makes us wait rather than fail at once.
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.sql = statementCache(this.db);
    this.outbox = new SqliteOutbox(this.db);
    this.reports = new SqliteReports(this.db);
    this.history = new SqliteHistory(
      this.db,
      options.historyRetentionMs ?? DEFAULT_HISTORY_RETENTION_MS,
    );
    this.signals = new SqliteSignals(this.db);
    this.digests = new SqliteDigests(this.db);
    this.sweep();
    options.logger.debug({ path: this.path }, 'embedded store opened');
  }

  async getState(serviceId: string): Promise<ServiceState | undefined> {
    return this.readState(serviceId);
  }

  async beginPoll(fence: LeaseFence, ttlMs: number, stateKey: string): Promise<PollStart> {
    return this.db
      .transaction((): PollStart => {
        if (!this.takeLease(fence.name, fence.owner, ttlMs)) return { leased: false };
        return { leased: true, state: this.readState(stateKey) };
      })
      .immediate();
  }

  async commitPoll(
    state: ServiceState,
    deliveries: Delivery[],
    fence?: LeaseFence,
    signals?: SignalsCommit,
  ): Promise<number | 'lease_lost' | 'signals_changed'> {
    const added = this.db
      .transaction(() => {
        if (fence && !this.leaseHeld(fence)) return 'lease_lost' as const;
        if (signals && !this.signals.save(signals)) return 'signals_changed' as const;
        if (fence) this.sql('DELETE FROM lease WHERE name = ?').run(fence.name);
        this.sql('INSERT OR REPLACE INTO service_state (service_id, body) VALUES (?, ?)').run(
          stateKeyOf(state),
          JSON.stringify(state),
        );
        return this.outbox.enqueue(deliveries);
      })
      .immediate();
    this.sweep();
    return added;
  }

  async putSubscription(sub: Subscription): Promise<'created' | 'updated'> {
    const key = channelKey(sub.channel);
    return this.db
      .transaction(() => {
        const exists = this.sql(
          'SELECT 1 FROM subscription WHERE service_id = ? AND channel_key = ?',
        ).get(sub.serviceId, key);
        this.sql(
          'INSERT OR REPLACE INTO subscription (service_id, channel_key, body) VALUES (?, ?, ?)',
        ).run(sub.serviceId, key, JSON.stringify(sub));
        this.sql('UPDATE doc SET expires_at = NULL WHERE key = ?').run(
          CHAT_SERVICE_KEY + sub.serviceId,
        );
        return exists === undefined ? ('created' as const) : ('updated' as const);
      })
      .immediate();
  }

  async removeSubscription(serviceId: string, channel: ChannelRef): Promise<boolean> {
    return this.db
      .transaction(() => {
        const result = this.sql(
          'DELETE FROM subscription WHERE service_id = ? AND channel_key = ?',
        ).run(serviceId, channelKey(channel));
        // The last subscription gone, a chat-added page is kept only for the grace period.
        this.sql(
          `UPDATE doc SET expires_at = @until WHERE key = @key
             AND NOT EXISTS (SELECT 1 FROM subscription WHERE service_id = @serviceId)`,
        ).run({
          key: CHAT_SERVICE_KEY + serviceId,
          serviceId,
          until: this.now() + this.chatServiceGraceMs,
        });
        return result.changes > 0;
      })
      .immediate();
  }

  async listSubscriptionsForChannel(channel: ChannelRef): Promise<Subscription[]> {
    return this.subscriptions(
      'SELECT body FROM subscription WHERE channel_key = ? ORDER BY service_id',
      channelKey(channel),
    );
  }

  async listSubscriptionsForService(serviceId: string): Promise<Subscription[]> {
    return this.subscriptions(
      'SELECT body FROM subscription WHERE service_id = ? ORDER BY channel_key',
      serviceId,
    );
  }

  async listSubscribedServiceIds(): Promise<string[]> {
    return this.sql('SELECT DISTINCT service_id FROM subscription ORDER BY service_id')
      .pluck()
      .all() as string[];
  }

  async enqueue(deliveries: Delivery[]): Promise<number> {
    return this.db.transaction(() => this.outbox.enqueue(deliveries)).immediate();
  }

  async claimDeliveries(opts: ClaimOptions): Promise<Delivery[]> {
    if (opts.limit <= 0) return [];
    const { owner, now, limit, leaseMs, platforms } = opts;
    return this.outbox.claim(owner, now.getTime(), this.now(), limit, leaseMs, platforms);
  }

  async renewDeliveryLease(delivery: Delivery, owner: string, leaseMs: number): Promise<boolean> {
    return this.outbox.renew(delivery, owner, this.now(), leaseMs);
  }

  async markAttempt(deliveryId: string): Promise<void> {
    this.outbox.markAttempt(deliveryId);
  }

  async completeDelivery(delivery: Delivery, owner: string): Promise<void> {
    this.outbox.complete(delivery, owner, this.now());
  }

  async retryDelivery(
    delivery: Delivery,
    owner: string,
    nextAttemptAt: Date,
    error: string,
  ): Promise<void> {
    this.outbox.retry(delivery, owner, nextAttemptAt.getTime(), error, this.now());
  }

  async dropDeliveriesForChannel(channel: ChannelRef): Promise<number> {
    return this.outbox.dropForChannel(channel, this.now());
  }

  async pendingDeliveries(): Promise<number> {
    return this.outbox.pending();
  }

  async oldestPendingEnqueuedAt(): Promise<Date | undefined> {
    return this.outbox.oldestEnqueuedAt();
  }

  async getThread(thread: string): Promise<ThreadRef | undefined> {
    const body = this.sql(
      'SELECT body FROM thread_ref WHERE thread = ? AND (expires_at IS NULL OR expires_at > ?)',
    )
      .pluck()
      .get(thread, this.now());
    return body === undefined ? undefined : (JSON.parse(body as string) as ThreadRef);
  }

  async getThreads(threads: readonly string[]): Promise<Map<string, ThreadRef>> {
    const rows = this.sql(
      `SELECT thread, body FROM thread_ref WHERE thread IN (SELECT value FROM json_each(?))
         AND (expires_at IS NULL OR expires_at > ?)`,
    ).all(JSON.stringify(threads), this.now()) as { thread: string; body: string }[];
    return new Map(rows.map((row) => [row.thread, JSON.parse(row.body) as ThreadRef]));
  }

  async putThread(thread: string, ref: ThreadRef): Promise<void> {
    this.sql('INSERT OR REPLACE INTO thread_ref (thread, body, expires_at) VALUES (?, ?, ?)').run(
      thread,
      JSON.stringify(ref),
      this.now() + THREAD_REF_TTL_MS,
    );
  }

  async tryLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.takeLease(name, owner, ttlMs);
  }

  private takeLease(name: string, owner: string, ttlMs: number): boolean {
    const now = this.now();
    // The holder may renew; anyone may take an expired lease.
    const result = this.sql(
      `INSERT INTO lease (name, owner, until) VALUES (@name, @owner, @until)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE lease.owner = excluded.owner OR lease.until <= @now`,
    ).run({ name, owner, until: now + ttlMs, now });
    return result.changes > 0;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.sql('DELETE FROM lease WHERE name = ? AND owner = ?').run(name, owner);
  }

  async setMute(channel: ChannelRef, until: Date | undefined): Promise<void> {
    const key = channelKey(channel);
    if (until === undefined) {
      this.sql('DELETE FROM mute WHERE channel_key = ?').run(key);
      return;
    }
    this.sql('INSERT OR REPLACE INTO mute (channel_key, until) VALUES (?, ?)').run(
      key,
      until.getTime(),
    );
  }

  async getMute(channel: ChannelRef): Promise<Date | undefined> {
    const until = this.sql('SELECT until FROM mute WHERE channel_key = ? AND until > ?')
      .pluck()
      .get(channelKey(channel), this.now()) as number | undefined;
    return until === undefined ? undefined : new Date(until);
  }

  async getMutes(channels: readonly ChannelRef[]): Promise<Map<string, Date>> {
    const rows = this.sql(
      `SELECT channel_key, until FROM mute
         WHERE channel_key IN (SELECT value FROM json_each(?)) AND until > ?`,
    ).all(JSON.stringify(channels.map(channelKey)), this.now()) as {
      channel_key: string;
      until: number;
    }[];
    return new Map(rows.map((row) => [row.channel_key, new Date(row.until)]));
  }

  async putChatService(service: Service): Promise<void> {
    this.sql(
      `INSERT OR REPLACE INTO doc (key, body, expires_at) VALUES (@key, @body,
         CASE WHEN EXISTS (SELECT 1 FROM subscription WHERE service_id = @serviceId)
           THEN NULL ELSE @until END)`,
    ).run({
      key: CHAT_SERVICE_KEY + service.id,
      body: JSON.stringify(service),
      serviceId: service.id,
      until: this.now() + this.chatServiceGraceMs,
    });
  }

  async listChatServices(): Promise<Service[]> {
    // ';' sorts right after ':', so this is a range scan of the key prefix on the primary key.
    const bodies = this.sql(
      `SELECT body FROM doc WHERE key >= ? AND key < ? AND (expires_at IS NULL OR expires_at > ?)
         ORDER BY key`,
    )
      .pluck()
      .all(CHAT_SERVICE_KEY, 'chat-service;', this.now()) as string[];
    return bodies.map((body) => JSON.parse(body) as Service);
  }

  async getSignals(serviceId: string): Promise<VersionedSignals | undefined> {
    return this.signals.read(serviceId);
  }

  async getDoc<T>(key: string): Promise<T | undefined> {
    const body = this.sql(
      'SELECT body FROM doc WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
    )
      .pluck()
      .get(key, this.now()) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as T);
  }

  async putDoc<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    const expiresAt = ttlMs === undefined ? null : this.now() + ttlMs;
    this.sql('INSERT OR REPLACE INTO doc (key, body, expires_at) VALUES (?, ?, ?)').run(
      key,
      JSON.stringify(value),
      expiresAt,
    );
  }

  async getVersionedDoc<T>(key: string): Promise<Versioned<T>> {
    const row = this.sql(
      `SELECT body, version FROM versioned_doc
       WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)`,
    ).get(key, this.now()) as { body: string; version: number } | undefined;
    return row
      ? { value: JSON.parse(row.body) as T, version: row.version }
      : { value: undefined, version: 0 };
  }

  async putVersionedDoc<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<boolean> {
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

  async ping(): Promise<boolean> {
    try {
      return this.sql('SELECT 1').pluck().get() === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private readState(stateKey: string): ServiceState | undefined {
    const body = this.sql('SELECT body FROM service_state WHERE service_id = ?')
      .pluck()
      .get(stateKey) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as ServiceState);
  }

  private leaseHeld(fence: LeaseFence): boolean {
    return (
      this.sql('SELECT 1 FROM lease WHERE name = ? AND owner = ? AND until > ?').get(
        fence.name,
        fence.owner,
        this.now(),
      ) !== undefined
    );
  }

  private subscriptions(sql: string, arg: string): Subscription[] {
    const bodies = this.sql(sql).pluck().all(arg) as string[];
    return bodies.map((body) => JSON.parse(body) as Subscription);
  }

  /** Forgets old delivered ids and expired documents; cheap enough to piggyback on writes. */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.outbox.prune(now);
    this.sql('DELETE FROM doc WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
    this.sql('DELETE FROM thread_ref WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
    this.sql('DELETE FROM versioned_doc WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
    this.history.prune(now);
  }
}
