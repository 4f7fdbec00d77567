import { Cluster, type Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Service } from '../../incidents/model.js';
import type { SignalState, VersionedSignals } from '../../incidents/signal-state.js';
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
import { prefixHasHashTag } from './hash-tag.js';
import { isClusterConnection, openRedis, type RedisConnection } from './redis-connection.js';
import { RedisDigests } from './redis-digests.js';
import { RedisHistory } from './redis-history.js';
import { RedisOutbox } from './redis-outbox.js';
import { RedisReports } from './redis-reports.js';
import * as lua from './scripts.js';

export const DEFAULT_KEY_PREFIX = 'outage-bot:';
/** The default on a Cluster: the hash tag keeps every key in one slot (see hash-tag.ts). */
export const DEFAULT_CLUSTER_KEY_PREFIX = '{outage-bot}:';

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

interface StoreScripts {
  subPut(...args: string[]): Promise<number>;
  subRemove(...args: (string | number)[]): Promise<number>;
  chatServicePut(...args: (string | number)[]): Promise<number>;
  chatServicePrune(...args: string[]): Promise<number>;
  leaseTry(...args: (string | number)[]): Promise<number>;
  leaseRelease(...args: string[]): Promise<number>;
  pollBegin(...args: (string | number)[]): Promise<[string | null] | null>;
  versionedPut(...args: (string | number)[]): Promise<number>;
}

/**
 * The Redis store, for one or many replicas. Keys under the prefix, besides the outbox's
 * (see RedisOutbox):
 * - `state:<serviceId>`                JSON ServiceState
 * - `sub:svc:<serviceId>`              hash channelKey -> JSON Subscription
 * - `sub:ch:<channelKey>`              hash serviceId -> JSON Subscription (same data, by channel)
 * - `sub:services`                     set of service ids with at least one subscription
 * - `thread:<thread>`                  JSON ThreadRef
 * - `lease:<name>`, `mute:<channelKey>`, `doc:<key>`   with PX expiry where they have one
 * - `vdoc:<key>`                       hash v (version), body (JSON): compare-and-set documents
 * - `chatsvc:<serviceId>`              JSON Service added from chat (PX while nobody follows it)
 * - `chatsvc:ids`                      set of chat-added service ids (may name expired ones)
 * - `rep:*`                            user reports (see RedisReports)
 * - `hist:*`                           incident history (see RedisHistory)
 * - `digest:settings`                  hash channelKey -> JSON DigestSetting (see RedisDigests)
 * Every multi-key change is one Lua script, so a crash or a second replica never sees half of it.
 * The scripts build key names from the prefix; on a Cluster a script may only touch keys of one
 * slot, so there the prefix must carry a hash tag (`{outage-bot}:`), which puts every key of one
 * bot in the same slot. Sharding by service would need the outbox split per slot; one slot holds
 * far more than a bot's state.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly prefix: string;
  private readonly redis: Redis | Cluster;
  private readonly owned: boolean;
  private readonly outbox: RedisOutbox;
  readonly reports: RedisReports;
  readonly history: RedisHistory;
  readonly digests: RedisDigests;
  private readonly scripts: StoreScripts;
  private readonly now: () => number;
  private readonly chatServiceGraceMs: number;

  constructor(options: RedisStoreOptions) {
    const { connection } = options;
    if (typeof connection === 'object' && 'keyPrefix' in connection && connection.keyPrefix) {
      // ioredis would prefix KEYS but not the key names the scripts build from ARGV.
      throw new Error('Set the store keyPrefix option instead of the ioredis keyPrefix option.');
    }
    const cluster = connection instanceof Cluster || isClusterConnection(connection);
    this.prefix = options.keyPrefix ?? (cluster ? DEFAULT_CLUSTER_KEY_PREFIX : DEFAULT_KEY_PREFIX);
    if (cluster && !prefixHasHashTag(this.prefix)) {
      throw new Error(
        `On a Redis Cluster the key prefix needs a hash tag, e.g. {outage-bot}: (got ${this.prefix})`,
      );
    }
    this.now = options.now ?? Date.now;
    this.chatServiceGraceMs = options.chatServiceGraceMs ?? CHAT_SERVICE_GRACE_MS;
    const opened = openRedis(connection, options.logger);
    this.redis = opened.client;
    this.owned = opened.owned;
    this.outbox = new RedisOutbox(this.redis, this.prefix);
    this.reports = new RedisReports(this.redis, this.prefix);
    this.history = new RedisHistory(
      this.redis,
      this.prefix,
      options.historyRetentionMs ?? DEFAULT_HISTORY_RETENTION_MS,
    );
    this.digests = new RedisDigests(this.redis, this.prefix);
    this.redis.defineCommand('subPut', { numberOfKeys: 1, lua: lua.PUT_SUBSCRIPTION });
    this.redis.defineCommand('subRemove', { numberOfKeys: 1, lua: lua.REMOVE_SUBSCRIPTION });
    this.redis.defineCommand('chatServicePut', { numberOfKeys: 1, lua: lua.PUT_CHAT_SERVICE });
    this.redis.defineCommand('chatServicePrune', { numberOfKeys: 1, lua: lua.PRUNE_CHAT_SERVICES });
    this.redis.defineCommand('leaseTry', { numberOfKeys: 1, lua: lua.TRY_LEASE });
    this.redis.defineCommand('leaseRelease', { numberOfKeys: 1, lua: lua.RELEASE_LEASE });
    this.redis.defineCommand('pollBegin', { numberOfKeys: 2, lua: lua.BEGIN_POLL });
    this.redis.defineCommand('versionedPut', { numberOfKeys: 1, lua: lua.PUT_VERSIONED });
    this.scripts = this.redis as unknown as StoreScripts;
  }

  async getState(serviceId: string): Promise<ServiceState | undefined> {
    return this.getJson<ServiceState>(this.key('state', serviceId));
  }

  async beginPoll(fence: LeaseFence, ttlMs: number, stateKey: string): Promise<PollStart> {
    const found = await this.scripts.pollBegin(
      this.key('lease', fence.name),
      this.key('state', stateKey),
      fence.owner,
      Math.max(1, Math.ceil(ttlMs)),
    );
    if (!found) return { leased: false };
    const [body] = found;
    return { leased: true, state: body ? (JSON.parse(body) as ServiceState) : undefined };
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
    const [version, body] = await this.redis.hmget(this.key('signals', serviceId), 'v', 'body');
    if (!body) return undefined;
    return { state: JSON.parse(body) as SignalState, version: Number(version) };
  }

  async putSubscription(sub: Subscription): Promise<'created' | 'updated'> {
    const created = await this.scripts.subPut(
      this.key('sub', 'services'),
      this.prefix,
      sub.serviceId,
      channelKey(sub.channel),
      JSON.stringify(sub),
    );
    return created === 1 ? 'created' : 'updated';
  }

  async removeSubscription(serviceId: string, channel: ChannelRef): Promise<boolean> {
    const removed = await this.scripts.subRemove(
      this.key('sub', 'services'),
      this.prefix,
      serviceId,
      channelKey(channel),
      this.chatServiceGraceMs,
    );
    return removed === 1;
  }

  async listSubscriptionsForChannel(channel: ChannelRef): Promise<Subscription[]> {
    return this.subscriptions(this.key('sub:ch', channelKey(channel)));
  }

  async listSubscriptionsForService(serviceId: string): Promise<Subscription[]> {
    return this.subscriptions(this.key('sub:svc', serviceId));
  }

  async listSubscribedServiceIds(): Promise<string[]> {
    return (await this.redis.smembers(this.key('sub', 'services'))).sort();
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
    return this.getJson<ThreadRef>(this.key('thread', thread));
  }

  async getThreads(threads: readonly string[]): Promise<Map<string, ThreadRef>> {
    const raws = await this.getMany(threads.map((thread) => this.key('thread', thread)));
    const found = new Map<string, ThreadRef>();
    threads.forEach((thread, i) => {
      const raw = raws[i];
      if (raw) found.set(thread, JSON.parse(raw) as ThreadRef);
    });
    return found;
  }

  async putThread(thread: string, ref: ThreadRef): Promise<void> {
    await this.redis.set(this.key('thread', thread), JSON.stringify(ref), 'PX', THREAD_REF_TTL_MS);
  }

  async tryLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    return (await this.scripts.leaseTry(this.key('lease', name), owner, ttl)) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.scripts.leaseRelease(this.key('lease', name), owner);
  }

  async setMute(channel: ChannelRef, until: Date | undefined): Promise<void> {
    const key = this.key('mute', channelKey(channel));
    const ttl = until === undefined ? 0 : until.getTime() - this.now();
    if (ttl <= 0) {
      await this.redis.del(key);
      return;
    }
    await this.redis.set(key, String(until?.getTime()), 'PX', Math.ceil(ttl));
  }

  async getMute(channel: ChannelRef): Promise<Date | undefined> {
    const raw = await this.redis.get(this.key('mute', channelKey(channel)));
    if (raw === null) return undefined;
    const until = Number(raw);
    return until > this.now() ? new Date(until) : undefined;
  }

  async getMutes(channels: readonly ChannelRef[]): Promise<Map<string, Date>> {
    const keys = channels.map(channelKey);
    const raws = await this.getMany(keys.map((key) => this.key('mute', key)));
    const now = this.now();
    const muted = new Map<string, Date>();
    keys.forEach((key, i) => {
      const until = Number(raws[i] ?? 0);
      if (until > now) muted.set(key, new Date(until));
    });
    return muted;
  }

  async putChatService(service: Service): Promise<void> {
    await this.scripts.chatServicePut(
      this.key('chatsvc', 'ids'),
      this.prefix,
      service.id,
      JSON.stringify(service),
      this.chatServiceGraceMs,
    );
  }

  async listChatServices(): Promise<Service[]> {
    const index = this.key('chatsvc', 'ids');
    const ids = (await this.redis.smembers(index)).sort();
    const raws = await this.getMany(ids.map((id) => this.key('chatsvc', id)));
    const gone = ids.filter((_, i) => !raws[i]);
    // An expired record leaves its id behind; the script re-checks, so a put meanwhile stays.
    if (gone.length > 0) await this.scripts.chatServicePrune(index, this.prefix, ...gone);
    return raws.filter((raw): raw is string => !!raw).map((raw) => JSON.parse(raw) as Service);
  }

  async getDoc<T>(key: string): Promise<T | undefined> {
    return this.getJson<T>(this.key('doc', key));
  }

  async putDoc<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    const json = JSON.stringify(value);
    if (ttlMs === undefined) await this.redis.set(this.key('doc', key), json);
    else await this.redis.set(this.key('doc', key), json, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async getVersionedDoc<T>(key: string): Promise<Versioned<T>> {
    const [version, body] = await this.redis.hmget(this.key('vdoc', key), 'v', 'body');
    if (!version || body === null || body === undefined) return { value: undefined, version: 0 };
    return { value: JSON.parse(body) as T, version: Number(version) };
  }

  async putVersionedDoc<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<boolean> {
    const ttl = ttlMs === undefined ? '' : Math.max(1, Math.ceil(ttlMs));
    const written = await this.scripts.versionedPut(
      this.key('vdoc', key),
      expectedVersion,
      JSON.stringify(value),
      ttl,
    );
    return Number(written) === 1;
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

  private key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  private async getJson<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  /**
   * GETs in one pipeline. A Cluster pipeline must stay on one node, which the prefix's hash tag
   * guarantees (every key in one slot).
   */
  private async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.get(key);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([err, value]) => {
      if (err) throw err;
      return (value as string | null) ?? null;
    });
  }

  private async subscriptions(key: string): Promise<Subscription[]> {
    const all = await this.redis.hgetall(key);
    return Object.keys(all)
      .sort()
      .map((field) => JSON.parse(all[field] as string) as Subscription);
  }
}
