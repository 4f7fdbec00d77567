import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Service } from '../../incidents/model.js';
import type { SignalState, VersionedSignals } from '../../incidents/signal-state.js';
import type { ServiceState } from '../../incidents/state.js';
import type {
  ChannelRef,
  Delivery,
  Subscription,
  ThreadRef,
} from '../../incidents/subscription.js';
import { CHAT_SERVICE_GRACE_MS } from '../../lifetimes.js';
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
import { openRedis, type RedisConnection } from './redis-connection.js';
import { RedisDigests } from './redis-digests.js';
import { RedisDocuments } from './redis-documents.js';
import { RedisHistory } from './redis-history.js';
import { keyPrefixFor, storeKey } from './redis-keys.js';
import { RedisMutes } from './redis-mutes.js';
import { RedisOutbox } from './redis-outbox.js';
import { RedisPollState } from './redis-poll-state.js';
import { RedisReports } from './redis-reports.js';
import { RedisSubscriptions } from './redis-subscriptions.js';
import { RedisThreads } from './redis-threads.js';

export { DEFAULT_CLUSTER_KEY_PREFIX, DEFAULT_KEY_PREFIX } from './redis-keys.js';

export interface RedisStoreOptions {
  /** URL, ioredis options (Sentinel), Cluster nodes, or a client the caller keeps owning. */
  connection: RedisConnection;
  /** Prepended to every key; default `outage-bot:`, on a Cluster `{outage-bot}:` (a hash tag). */
  keyPrefix?: string;
  logger: Logger;
  /** Clock for mute expiry; leases and TTLs use the Redis server's clock. */
  now?: () => number;
  /** How long a chat-added page nobody follows is kept (default CHAT_SERVICE_GRACE_MS). */
  chatServiceGraceMs?: number;
  /** How long incident history is kept (default DEFAULT_HISTORY_RETENTION_MS, 90 days). */
  historyRetentionMs?: number;
}

/**
 * The Redis store, for one or many replicas. Keys under the prefix, by the class that owns them:
 * - `state:*`, `lease:*`              poll state and leases (RedisPollState)
 * - `sub:*`, `chatsvc:*`              subscriptions and chat-added services (RedisSubscriptions)
 * - `thread:*`, `mute:*`              thread refs (RedisThreads), channel mutes (RedisMutes)
 * - `doc:*`, `vdoc:*`                 generic documents (RedisDocuments)
 * - `ob:*`, `rep:*`, `hist:*`, `digest:settings`   outbox, reports, history, digest settings
 * Each concern lives in its own redis-*.ts; this class opens the connection and joins them up.
 * Every multi-key change is one Lua script, so a crash or a second replica never sees half of it.
 * The scripts build key names from the prefix, which on a Cluster carries a hash tag (see
 * keyPrefixFor in redis-keys.ts).
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly prefix: string;
  private readonly redis: Redis | Cluster;
  private readonly owned: boolean;
  private readonly polls: RedisPollState;
  private readonly outbox: RedisOutbox;
  private readonly subscriptions: RedisSubscriptions;
  private readonly threads: RedisThreads;
  private readonly mutes: RedisMutes;
  private readonly documents: RedisDocuments;
  readonly reports: RedisReports;
  readonly history: RedisHistory;
  readonly digests: RedisDigests;

  constructor(options: RedisStoreOptions) {
    const { connection } = options;
    this.prefix = keyPrefixFor(connection, options.keyPrefix);
    const opened = openRedis(connection, options.logger);
    this.redis = opened.client;
    this.owned = opened.owned;
    this.polls = new RedisPollState(this.redis, this.prefix);
    this.outbox = new RedisOutbox(this.redis, this.prefix);
    this.subscriptions = new RedisSubscriptions(
      this.redis,
      this.prefix,
      options.chatServiceGraceMs ?? CHAT_SERVICE_GRACE_MS,
    );
    this.threads = new RedisThreads(this.redis, this.prefix);
    this.mutes = new RedisMutes(this.redis, this.prefix, options.now ?? Date.now);
    this.documents = new RedisDocuments(this.redis, this.prefix);
    this.reports = new RedisReports(this.redis, this.prefix);
    this.history = new RedisHistory(
      this.redis,
      this.prefix,
      options.historyRetentionMs ?? DEFAULT_HISTORY_RETENTION_MS,
    );
    this.digests = new RedisDigests(this.redis, this.prefix);
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
    const added = await this.outbox.enqueue(deliveries, {
      serviceId: stateKeyOf(state),
      json: JSON.stringify(state),
      ...(fence ? { fence } : {}),
      ...(signals
        ? {
            signals: {
              serviceId: signals.state.serviceId,
              version: signals.version,
              json: JSON.stringify(signals.state),
            },
          }
        : {}),
    });
    if (added === -2) return 'signals_changed';
    return added < 0 ? 'lease_lost' : added;
  }

  async getSignals(serviceId: string): Promise<VersionedSignals | undefined> {
    const [version, body] = await this.redis.hmget(
      storeKey(this.prefix, 'signals', serviceId),
      'v',
      'body',
    );
    if (!body) return undefined;
    return { state: JSON.parse(body) as SignalState, version: Number(version) };
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
    return this.outbox.enqueue(deliveries);
  }

  async claimDeliveries(opts: ClaimOptions): Promise<Delivery[]> {
    return this.outbox.claim(opts.owner, opts.now, opts.limit, opts.leaseMs, opts.platforms);
  }

  async renewDeliveryLease(delivery: Delivery, owner: string, leaseMs: number): Promise<boolean> {
    return this.outbox.renew(delivery, owner, leaseMs);
  }

  async markAttempt(deliveryId: string): Promise<void> {
    await this.outbox.markAttempt(deliveryId);
  }

  async completeDelivery(delivery: Delivery, owner: string): Promise<void> {
    await this.outbox.complete(delivery, owner);
  }

  async retryDelivery(
    delivery: Delivery,
    owner: string,
    nextAttemptAt: Date,
    error: string,
  ): Promise<void> {
    await this.outbox.retry(delivery, owner, nextAttemptAt, error);
  }

  async dropDeliveriesForChannel(channel: ChannelRef): Promise<number> {
    return this.outbox.dropForChannel(channel);
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
    await this.threads.put(thread, ref);
  }

  async tryLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.polls.tryLease(name, owner, ttlMs);
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.polls.releaseLease(name, owner);
  }

  releaseLeaseSoon(name: string, owner: string): void {
    this.polls.releaseLeaseSoon(name, owner);
  }

  async setMute(channel: ChannelRef, until: Date | undefined): Promise<void> {
    await this.mutes.set(channel, until);
  }

  async getMute(channel: ChannelRef): Promise<Date | undefined> {
    return this.mutes.get(channel);
  }

  async getMutes(channels: readonly ChannelRef[]): Promise<Map<string, Date>> {
    return this.mutes.getMany(channels);
  }

  async putChatService(service: Service): Promise<void> {
    await this.subscriptions.putChatService(service);
  }

  async listChatServices(): Promise<Service[]> {
    return this.subscriptions.listChatServices();
  }

  async getDoc<T>(key: string): Promise<T | undefined> {
    return this.documents.get<T>(key);
  }

  async putDoc<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    await this.documents.put(key, value, ttlMs);
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
    // Between reconnect attempts: answer at once instead of waiting them out.
    if (['reconnecting', 'close', 'end'].includes(this.redis.status)) return false;
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.polls.flushReleases();
    if (!this.owned || this.redis.status === 'end') return;
    // Redis away (a shutdown during an outage): QUIT would wait in the offline queue for nothing.
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    try {
      await this.redis.quit();
    } catch {
      // quit fails when the connection is already down; there is nothing left to flush.
      this.redis.disconnect();
    }
  }
}
