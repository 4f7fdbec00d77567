import type { Cluster, Redis } from 'ioredis';
import {
  endMsOf,
  HISTORY_INCIDENTS_KEPT,
  type HistoryIncident,
  type HistoryStore,
  mergeIncident,
  startMsOf,
  withinRetention,
} from '../history.js';

/**
 * The Redis store's incident history, under the store's prefix, per service:
 * - `hist:<service>`        hash incident id -> JSON HistoryIncident
 * - `hist:start:<service>`  zset incident id -> start (ms), to list and to bound by count
 * - `hist:end:<service>`    zset incident id -> end (ms) of the closed ones, to expire them
 * The three keys expire together the retention after the last poll that recorded the service.
 * One replica at a time polls a service (the poll lease), so the read and the MULTI that follows
 * it are not raced by another writer of the same history.
 */
export class RedisHistory implements HistoryStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    private readonly retentionMs: number,
  ) {}

  async record(
    serviceId: string,
    incidents: readonly HistoryIncident[],
    nowMs: number,
  ): Promise<void> {
    const { all, starts, ends } = this.keys(serviceId);
    const kept = withinRetention(incidents, nowMs, this.retentionMs);
    const ids = kept.map((i) => i.id);
    const known = ids.length > 0 ? await this.redis.hmget(all, ...ids) : [];
    const multi = this.redis.multi();
    kept.forEach((seen, index) => {
      const body = known[index];
      const merged = mergeIncident(body ? (JSON.parse(body) as HistoryIncident) : undefined, seen);
      multi.hset(all, merged.id, JSON.stringify(merged));
      multi.zadd(starts, startMsOf(merged), merged.id);
      const end = endMsOf(merged);
      if (end === undefined) multi.zrem(ends, merged.id);
      else multi.zadd(ends, end, merged.id);
    });
    for (const key of [all, starts, ends]) multi.pexpire(key, this.retentionMs);
    await multi.exec();
    await this.forget(serviceId, await this.expired(serviceId, nowMs));
  }

  async list(serviceId: string, sinceMs: number): Promise<HistoryIncident[]> {
    const { all, starts, ends } = this.keys(serviceId);
    const [ids, endedBefore] = await Promise.all([
      this.redis.zrange(starts, 0, -1),
      this.redis.zrangebyscore(ends, '-inf', `(${sinceMs}`),
    ]);
    const gone = new Set(endedBefore);
    const wanted = ids.filter((id) => !gone.has(id));
    if (wanted.length === 0) return [];
    const bodies = await this.redis.hmget(all, ...wanted);
    return bodies.flatMap((body) => (body ? [JSON.parse(body) as HistoryIncident] : []));
  }

  /** Ids that ended before the retention, and the earliest started past the count bound. */
  private async expired(serviceId: string, nowMs: number): Promise<string[]> {
    const { starts, ends } = this.keys(serviceId);
    const [old, overflow] = await Promise.all([
      this.redis.zrangebyscore(ends, '-inf', `(${nowMs - this.retentionMs}`),
      this.redis.zrange(starts, 0, -(HISTORY_INCIDENTS_KEPT + 1)),
    ]);
    return [...new Set([...old, ...overflow])];
  }

  private async forget(serviceId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const { all, starts, ends } = this.keys(serviceId);
    await this.redis
      .multi()
      .hdel(all, ...ids)
      .zrem(starts, ...ids)
      .zrem(ends, ...ids)
      .exec();
  }

  private keys(serviceId: string) {
    const base = `${this.prefix}hist:`;
    return {
      all: `${base}${serviceId}`,
      starts: `${base}start:${serviceId}`,
      ends: `${base}end:${serviceId}`,
    };
  }
}
