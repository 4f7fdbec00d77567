import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Service } from '../../incidents/model.js';
import type { VersionedSignals } from '../../incidents/signal-state.js';
import type { ServiceState } from '../../incidents/state.js';
import type {
  ChannelRef,
  Delivery,
  Subscription,
  ThreadRef,
} from '../../incidents/subscription.js';
import { CHAT_SERVICE_GRACE_MS } from '../../lifetimes.js';
import { DEFAULT_HISTORY_RETENTION_MS } from '../history.js';
import type {
  ClaimOptions,
  LeaseFence,
  PollStart,
  SignalsCommit,
  Store,
  Versioned,
} from '../store.js';
import { migrate } from './schema.js';
import { SqliteDigests } from './sqlite-digests.js';
import { SqliteDocuments } from './sqlite-documents.js';
import { SqliteHistory } from './sqlite-history.js';
import { SqliteMutes } from './sqlite-mutes.js';
import { SqliteOutbox } from './sqlite-outbox.js';
import { SqlitePollState } from './sqlite-poll-state.js';
import { SqliteReports } from './sqlite-reports.js';
import { SqliteSignals } from './sqlite-signals.js';
import { SqliteSubscriptions } from './sqlite-subscriptions.js';
import { SqliteThreads } from './sqlite-threads.js';
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

/** Expired documents and old delivered ids are swept at most this often. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * The embedded store: SQLite through better-sqlite3, in WAL mode so readers never block the
 * writer. Several processes may open the same file (replicas on one host); every multi-statement
 * change runs in one transaction, and claims take the write lock up front (BEGIN IMMEDIATE).
 * `synchronous = NORMAL`: a killed process loses nothing; a power cut may lose the last commits.
 * Each concern lives in its own sqlite-*.ts; this class opens the file and joins them up.
 */
export class SqliteStore implements Store {
  readonly kind = 'embedded' as const;
  readonly path: string;
  private readonly db: Database.Database;
  private readonly polls: SqlitePollState;
  private readonly outbox: SqliteOutbox;
  private readonly subscriptions: SqliteSubscriptions;
  private readonly threads: SqliteThreads;
  private readonly mutes: SqliteMutes;
  private readonly documents: SqliteDocuments;
  readonly reports: SqliteReports;
  readonly history: SqliteHistory;
  readonly digests: SqliteDigests;
  private readonly signals: SqliteSignals;
  private readonly now: () => number;
  private readonly sql: (source: string) => Statement;
  private lastSweep = 0;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, 'outage-bot.sqlite');
    this.now = options.now ?? Date.now;
    this.db = new Database(this.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Another process holding the write lock makes us wait rather than fail at once.
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.sql = statementCache(this.db);
    this.polls = new SqlitePollState(this.db, this.now);
    this.outbox = new SqliteOutbox(this.db);
    this.subscriptions = new SqliteSubscriptions(
      this.db,
      this.now,
      options.chatServiceGraceMs ?? CHAT_SERVICE_GRACE_MS,
    );
    this.threads = new SqliteThreads(this.db, this.now);
    this.mutes = new SqliteMutes(this.db, this.now);
    this.documents = new SqliteDocuments(this.db, this.now);
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
    return this.polls.read(serviceId);
  }

  async beginPoll(fence: LeaseFence, ttlMs: number, stateKey: string): Promise<PollStart> {
    return this.polls.begin(fence, ttlMs, stateKey);
  }

  async commitPoll(
    state: ServiceState,
    deliveries: Delivery[],
    fence?: LeaseFence,
    signals?: SignalsCommit,
  ): Promise<number | 'lease_lost' | 'signals_changed'> {
    const added = this.db
      .transaction(() => {
        if (fence && !this.polls.leaseHeld(fence)) return 'lease_lost' as const;
        if (signals && !this.signals.save(signals)) return 'signals_changed' as const;
        if (fence) this.polls.endLease(fence);
        this.polls.save(state);
        return this.outbox.enqueue(deliveries);
      })
      .immediate();
    this.sweep();
    return added;
  }

  async putSubscription(sub: Subscription): Promise<'created' | 'updated'> {
    return this.subscriptions.put(sub);
  }

  async removeSubscription(serviceId: string, channel: ChannelRef): Promise<boolean> {
    return this.subscriptions.remove(serviceId, channel);
  }

  async listSubscriptionsForChannel(channel: ChannelRef): Promise<Subscription[]> {
    return this.subscriptions.listForChannel(channel);
  }

  async listSubscriptionsForService(serviceId: string): Promise<Subscription[]> {
    return this.subscriptions.listForService(serviceId);
  }

  async listSubscribedServiceIds(): Promise<string[]> {
    return this.subscriptions.listServiceIds();
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
    return this.threads.get(thread);
  }

  async getThreads(threads: readonly string[]): Promise<Map<string, ThreadRef>> {
    return this.threads.getMany(threads);
  }

  async putThread(thread: string, ref: ThreadRef): Promise<void> {
    this.threads.put(thread, ref);
  }

  async tryLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.polls.tryLease(name, owner, ttlMs);
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.polls.releaseLease(name, owner);
  }

  releaseLeaseSoon(name: string, owner: string): void {
    this.polls.releaseLeaseSoon(name, owner);
  }

  async setMute(channel: ChannelRef, until: Date | undefined): Promise<void> {
    this.mutes.set(channel, until);
  }

  async getMute(channel: ChannelRef): Promise<Date | undefined> {
    return this.mutes.get(channel);
  }

  async getMutes(channels: readonly ChannelRef[]): Promise<Map<string, Date>> {
    return this.mutes.getMany(channels);
  }

  async putChatService(service: Service): Promise<void> {
    this.subscriptions.putChatService(service);
  }

  async listChatServices(): Promise<Service[]> {
    return this.subscriptions.listChatServices();
  }

  async getSignals(serviceId: string): Promise<VersionedSignals | undefined> {
    return this.signals.read(serviceId);
  }

  async getDoc<T>(key: string): Promise<T | undefined> {
    return this.documents.get<T>(key);
  }

  async putDoc<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    this.documents.put(key, value, ttlMs);
  }

  async getVersionedDoc<T>(key: string): Promise<Versioned<T>> {
    return this.documents.getVersioned<T>(key);
  }

  async putVersionedDoc<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<boolean> {
    return this.documents.putVersioned(key, value, expectedVersion, ttlMs);
  }

  async ping(): Promise<boolean> {
    try {
      return this.sql('SELECT 1').pluck().get() === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.polls.flushReleases();
    if (this.db.open) this.db.close();
  }

  /** Forgets old delivered ids and expired documents; cheap enough to piggyback on writes. */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.outbox.prune(now);
    this.documents.prune(now);
    this.threads.prune(now);
    this.history.prune(now);
  }
}
