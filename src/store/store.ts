import type { Service } from '../incidents/model.js';
import type { SignalState, VersionedSignals } from '../incidents/signal-state.js';
import type { ServiceState } from '../incidents/state.js';
import type { ChannelRef, Delivery, Subscription, ThreadRef } from '../incidents/subscription.js';
import type { DigestStore } from './digests.js';
import type { HistoryStore } from './history.js';
import type { ReportStore } from './reports.js';

/**
 * The one persistence interface. Two implementations (Redis, embedded SQLite) pass the same
 * contract suite in test/contract/. Every method is safe to call from several replicas at once.
 */
export interface Store {
  readonly kind: 'redis' | 'embedded';

  // Service state (reconcile's memory), one per source of a service: keyed by `stateKeyOf`.
  getState(stateKey: string): Promise<ServiceState | undefined>;
  /**
   * A poll's start in one round trip: takes (or renews) `fence`'s lease for `ttlMs`, as tryLease,
   * and only if it is held reads the state at `stateKey`, as getState.
   */
  beginPoll(fence: LeaseFence, ttlMs: number, stateKey: string): Promise<PollStart>;
  /**
   * Atomically saves the next state and enqueues the deliveries it produced. A delivery whose id
   * was enqueued or delivered before is skipped, so re-running a poll after a crash is harmless.
   * Returns how many deliveries were newly enqueued. With a `fence`, nothing is written unless the
   * lease is still held by `fence.owner` (a token unique to the poll): `'lease_lost'` then; a
   * fenced commit that goes through also releases the lease, since the poll it guarded is over.
   * With `signals`, the service's merged signals are saved in the same write, only if the store
   * still holds them at `signals.version` (what the poll read): else nothing is written and
   * `'signals_changed'` says to read them again and merge anew (another feed's poll won).
   */
  commitPoll(
    state: ServiceState,
    deliveries: Delivery[],
    fence?: LeaseFence,
    signals?: SignalsCommit,
  ): Promise<number | 'lease_lost' | 'signals_changed'>;

  /** A service's merged signals (src/incidents/merge-signals.ts) and their version; none: undefined. */
  getSignals(serviceId: string): Promise<VersionedSignals | undefined>;

  // Subscriptions: one per (service, channel).
  putSubscription(sub: Subscription): Promise<'created' | 'updated'>;
  removeSubscription(serviceId: string, channel: ChannelRef): Promise<boolean>;
  listSubscriptionsForChannel(channel: ChannelRef): Promise<Subscription[]>;
  listSubscriptionsForService(serviceId: string): Promise<Subscription[]>;
  /** Every service id that at least one channel subscribes to. */
  listSubscribedServiceIds(): Promise<string[]>;

  // Outbox. Deliveries sharing `thread` are handed out one at a time, oldest first.
  /** Enqueue outside a poll (e.g. a new subscription shown what is open now). Idempotent by id. */
  enqueue(deliveries: Delivery[]): Promise<number>;
  /**
   * Leases up to `limit` deliveries, at most one per thread (the oldest undelivered of that
   * thread), whose nextAttemptAt <= now and whose thread is not leased by someone else.
   */
  claimDeliveries(opts: ClaimOptions): Promise<Delivery[]>;
  /**
   * Heartbeat of a send in flight: extends the thread's lease to `leaseMs` from now. True when
   * `owner` still held that lease on this delivery (it is extended); false when the lease had
   * expired, was taken over, or the delivery left the queue (nothing is changed then).
   */
  renewDeliveryLease(delivery: Delivery, owner: string, leaseMs: number): Promise<boolean>;
  /**
   * Record, durably, that a request that may reach the platform is about to go out (attempts+1,
   * possiblySent set); claimed again, the delivery says so.
   */
  markAttempt(deliveryId: string): Promise<void>;
  /** The platform accepted it: remove from the queue, remember the id as delivered, free thread. */
  completeDelivery(delivery: Delivery, owner: string): Promise<void>;
  /**
   * Put it back at the head of its thread, to be tried at `nextAttemptAt`. `delivery.attempts`
   * raises the stored count (never lowers it); `delivery.possiblySent`, when given, replaces the
   * stored flag (false: this attempt proved its message did not get through).
   */
  retryDelivery(
    delivery: Delivery,
    owner: string,
    nextAttemptAt: Date,
    error: string,
  ): Promise<void>;
  /** Drop every undelivered delivery for a channel (after it was suspended). Returns count. */
  dropDeliveriesForChannel(channel: ChannelRef): Promise<number>;
  pendingDeliveries(): Promise<number>;
  /** When the longest-waiting pending delivery was enqueued; undefined when the outbox is empty. */
  oldestPendingEnqueuedAt(): Promise<Date | undefined>;

  // Thread refs, keyed by Delivery.thread; forgotten THREAD_REF_TTL_MS (src/lifetimes.ts) after
  // they were recorded.
  getThread(thread: string): Promise<ThreadRef | undefined>;
  /** The refs of those `threads` that have one, by thread, in one round trip. */
  getThreads(threads: readonly string[]): Promise<Map<string, ThreadRef>>;
  putThread(thread: string, ref: ThreadRef): Promise<void>;

  // Leases, so one replica at a time polls a source or holds a gateway session.
  tryLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;

  // Channel mutes.
  setMute(channel: ChannelRef, until: Date | undefined): Promise<void>;
  getMute(channel: ChannelRef): Promise<Date | undefined>;
  /** When the mute ends of each of `channels` that is muted now, by channelKey, in one round trip. */
  getMutes(channels: readonly ChannelRef[]): Promise<Map<string, Date>>;

  /**
   * Status pages added from chat, one record each, seen by every replica. A record nobody
   * subscribes to expires CHAT_SERVICE_GRACE_MS after it was added or lost its last subscription;
   * a subscription to its id keeps it for good.
   */
  putChatService(service: Service): Promise<void>;
  listChatServices(): Promise<Service[]>;

  /** Small key/value documents for features that need no schema of their own (JSON values). */
  getDoc<T>(key: string): Promise<T | undefined>;
  putDoc<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  /**
   * A document changed by compare-and-set, for records several replicas update at once (a
   * channel's grouping). `version` is 0 when there is none (or it expired).
   */
  getVersionedDoc<T>(key: string): Promise<Versioned<T>>;
  /**
   * Writes `value` (version + 1) only if the stored version is still `expectedVersion`; false, with
   * nothing written, when another writer got there first (read again and retry). `ttlMs` is counted
   * from this write; without it the document is kept for good.
   */
  putVersionedDoc<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<boolean>;

  /** User reports (`/outage report`): counts, rate limits, dedup and each service's baseline. */
  readonly reports: ReportStore;

  /** Incident history for the status board, kept for the retention (HISTORY_RETENTION_DAYS). */
  readonly history: HistoryStore;

  /** Channels' weekly digest settings (`/outage digest`). */
  readonly digests: DigestStore;

  /** True when the backing database answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ClaimOptions {
  owner: string;
  now: Date;
  limit: number;
  leaseMs: number;
  /** Only deliveries to these platforms (`only`), or to any but these (`except`); all if unset. */
  platforms?: PlatformFilter;
}

/** Which platforms' deliveries a claim takes: one claim loop per platform keeps them apart. */
export type PlatformFilter = { only: string } | { except: readonly string[] };

/** The filter as a store's query takes it: a mode ('' for none) and the platforms it names. */
export const platformFilterArgs = (
  filter: PlatformFilter | undefined,
): { mode: '' | 'only' | 'except'; platforms: readonly string[] } =>
  !filter
    ? { mode: '', platforms: [] }
    : 'only' in filter
      ? { mode: 'only', platforms: [filter.only] }
      : { mode: 'except', platforms: filter.except };

/** What beginPoll found: someone else holds the lease, or it is ours and this is the state. */
export type PollStart = { leased: false } | { leased: true; state: ServiceState | undefined };

/** The merged signals a poll commits, and the version they were read at (0: none were stored). */
export interface SignalsCommit {
  state: SignalState;
  version: number;
}

/** A document and the version it was read at (0: none stored), for a compare-and-set. */
export interface Versioned<T> {
  value: T | undefined;
  version: number;
}

/** Guards a commit: it goes through only while lease `name` is held by `owner`. */
export interface LeaseFence {
  name: string;
  owner: string;
}

/** Where a state is kept: its feed's key (a service's second and later sources), else its service id. */
export const stateKeyOf = (state: ServiceState): string => state.feedKey ?? state.serviceId;
