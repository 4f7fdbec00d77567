import type { Cluster, Redis } from 'ioredis';
import { type ChannelRef, channelKey, type Delivery } from '../../incidents/subscription.js';
import { DELIVERED_RETENTION_MS } from '../../lifetimes.js';
import { eventKey } from '../event-key.js';
import { type PlatformFilter, platformFilterArgs } from '../store.js';
import * as lua from './scripts.js';

type Arg = string | number;
type Script = (...args: Arg[]) => Promise<unknown>;

/** The scripts, registered with ioredis (EVALSHA, falling back to EVAL after a Redis restart). */
export interface OutboxScripts {
  obEnqueue: Script;
  obClaim: Script;
  obRenew: Script;
  obMarkAttempt: Script;
  obComplete: Script;
  obRetry: Script;
  obDropChannel: Script;
}

const SCRIPTS: Record<keyof OutboxScripts, string> = {
  obEnqueue: lua.ENQUEUE,
  obClaim: lua.CLAIM,
  obRenew: lua.RENEW,
  obMarkAttempt: lua.MARK_ATTEMPT,
  obComplete: lua.COMPLETE,
  obRetry: lua.RETRY,
  obDropChannel: lua.DROP_CHANNEL,
};

/**
 * The outbox on Redis. Keys under the prefix:
 * - `ob:d:<id>`       hash: body (the Delivery JSON as enqueued, without its event), ev (the
 *                     event key, see event-key.ts), thread, ck, attempts, next, err, sent ('1': an attempt may have
 *                     reached the platform)
 * - `ob:ev:<key>`     hash: body (the event JSON), refs (pending deliveries of it). One event going
 *                     to N channels is stored once, not N times; the last completed or dropped
 *                     delivery deletes it, so the outbox holds each pending event exactly once.
 * - `ob:t:<thread>`   list of ids, oldest first; the head is the only claimable one
 * - `ob:ready`        zset of threads, scored by the head's next attempt (or its lease's end)
 * - `ob:lease:<thread>` owner of the thread's in-flight delivery, with PX expiry
 * - `ob:ch:<channel>` set of threads with pending deliveries for a channel
 * - `ob:pending`      set of pending ids (its size is pendingDeliveries)
 * - `ob:age`          zset of pending ids scored by when they were enqueued (the oldest's age is a
 *                     metric); entries enqueued before it existed are not in it
 * - `ob:done:<id>`    delivered or dropped, kept DELIVERED_RETENTION_MS for deduplication
 */
export class RedisOutbox {
  private readonly scripts: OutboxScripts;
  private readonly ready: string;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {
    for (const [name, source] of Object.entries(SCRIPTS)) {
      redis.defineCommand(name, { numberOfKeys: 1, lua: source });
    }
    this.scripts = redis as unknown as OutboxScripts;
    this.ready = `${prefix}ob:ready`;
  }

  /**
   * Saves `state` (when given) and enqueues the new deliveries, in one atomic script; -1, with
   * nothing written, when `state.fence` names a lease its owner no longer holds; -2 when
   * `state.signals` were changed by someone else since they were read at `version`.
   */
  async enqueue(
    deliveries: Delivery[],
    state?: {
      serviceId: string;
      json: string;
      fence?: { name: string; owner: string };
      signals?: { serviceId: string; version: number; json: string };
    },
  ): Promise<number> {
    if (deliveries.length === 0 && state === undefined) return 0;
    const { fence, signals } = state ?? {};
    const args: Arg[] = [this.ready, this.prefix, state?.serviceId ?? '', state?.json ?? ''];
    args.push(fence?.name ?? '', fence?.owner ?? '');
    args.push(signals?.serviceId ?? '', signals?.version ?? 0, signals?.json ?? '');
    for (const d of deliveries) {
      const event = eventKey(d.event);
      args.push(
        d.id,
        d.thread,
        channelKey(d.channel),
        JSON.stringify({ ...d, event: undefined }),
        Date.parse(d.nextAttemptAt),
        d.attempts,
        possiblySentFlag(d),
        event.key,
        event.json,
        enqueuedMs(d),
      );
    }
    return Number(await this.scripts.obEnqueue(...args));
  }

  async claim(
    owner: string,
    now: Date,
    limit: number,
    leaseMs: number,
    platforms?: PlatformFilter,
  ): Promise<Delivery[]> {
    if (limit <= 0) return [];
    // A zero lease would leave the thread in the ready range and let it be claimed twice.
    const lease = Math.max(1, Math.ceil(leaseMs));
    const filter = platformFilterArgs(platforms);
    const flat = (await this.scripts.obClaim(
      this.ready,
      this.prefix,
      owner,
      now.getTime(),
      limit,
      lease,
      filter.mode,
      ...filter.platforms,
    )) as string[];
    const claimed: Delivery[] = [];
    for (let i = 0; i < flat.length; i += 7) {
      const delivery = JSON.parse(flat[i + 1] as string) as Delivery;
      // Entries written before events were stored apart carry theirs in the body.
      if (flat[i + 6]) delivery.event = JSON.parse(flat[i + 6] as string);
      delivery.attempts = Number(flat[i + 2]);
      delivery.nextAttemptAt = new Date(Number(flat[i + 3])).toISOString();
      const error = flat[i + 4];
      if (error) delivery.lastError = error;
      else delete delivery.lastError;
      // Entries written before the flag existed: any attempt may have reached the platform.
      const sent = flat[i + 5] === '' ? delivery.attempts > 0 : flat[i + 5] === '1';
      if (sent) delivery.possiblySent = true;
      else delete delivery.possiblySent;
      claimed.push(delivery);
    }
    return claimed;
  }

  async renew(delivery: Delivery, owner: string, leaseMs: number): Promise<boolean> {
    const lease = Math.max(1, Math.ceil(leaseMs));
    const renewed = await this.scripts.obRenew(
      this.ready,
      this.prefix,
      delivery.id,
      delivery.thread,
      owner,
      lease,
    );
    return Number(renewed) === 1;
  }

  async markAttempt(id: string): Promise<void> {
    await this.scripts.obMarkAttempt(this.ready, this.prefix, id);
  }

  async complete(delivery: Delivery, owner: string): Promise<void> {
    await this.scripts.obComplete(
      this.ready,
      this.prefix,
      delivery.id,
      delivery.thread,
      owner,
      DELIVERED_RETENTION_MS,
    );
  }

  async retry(delivery: Delivery, owner: string, next: Date, error: string): Promise<void> {
    await this.scripts.obRetry(
      this.ready,
      this.prefix,
      delivery.id,
      delivery.thread,
      owner,
      next.getTime(),
      error,
      delivery.attempts,
      delivery.possiblySent === undefined ? '' : possiblySentFlag(delivery),
    );
  }

  async dropForChannel(channel: ChannelRef): Promise<number> {
    const key = channelKey(channel);
    return Number(
      await this.scripts.obDropChannel(this.ready, this.prefix, key, DELIVERED_RETENTION_MS),
    );
  }

  async pending(): Promise<number> {
    return this.redis.scard(`${this.prefix}ob:pending`);
  }

  async oldestEnqueuedAt(): Promise<Date | undefined> {
    const [, score] = await this.redis.zrange(`${this.prefix}ob:age`, 0, 0, 'WITHSCORES');
    return score === undefined ? undefined : new Date(Number(score));
  }
}

/** A delivery with no readable enqueue time counts as enqueued now (its age is not invented). */
const enqueuedMs = (d: Delivery): number => {
  const at = Date.parse(d.enqueuedAt);
  return Number.isNaN(at) ? Date.now() : at;
};

const possiblySentFlag = (d: Delivery): string => ((d.possiblySent ?? d.attempts > 0) ? '1' : '0');
