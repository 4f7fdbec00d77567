import type { Cluster, Redis } from 'ioredis';
import { type ChannelRef, channelKey } from '../../incidents/subscription.js';
import { getMany, storeKey } from './redis-keys.js';

/**
 * The Redis store's channel mutes: `mute:<channelKey>`, when the mute ends (ms), with PX expiry
 * at that time. The expiry is counted from the local clock, so reads check the time again.
 */
export class RedisMutes {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    private readonly now: () => number,
  ) {}

  async set(channel: ChannelRef, until: Date | undefined): Promise<void> {
    const key = storeKey(this.prefix, 'mute', channelKey(channel));
    const ttl = until === undefined ? 0 : until.getTime() - this.now();
    if (ttl <= 0) {
      await this.redis.del(key);
      return;
    }
    await this.redis.set(key, String(until?.getTime()), 'PX', Math.ceil(ttl));
  }

  async get(channel: ChannelRef): Promise<Date | undefined> {
    const raw = await this.redis.get(storeKey(this.prefix, 'mute', channelKey(channel)));
    if (raw === null) return undefined;
    const until = Number(raw);
    return until > this.now() ? new Date(until) : undefined;
  }

  async getMany(channels: readonly ChannelRef[]): Promise<Map<string, Date>> {
    const keys = channels.map(channelKey);
    const raws = await getMany(
      this.redis,
      keys.map((key) => storeKey(this.prefix, 'mute', key)),
    );
    const now = this.now();
    const muted = new Map<string, Date>();
    keys.forEach((key, i) => {
      const until = Number(raws[i] ?? 0);
      if (until > now) muted.set(key, new Date(until));
    });
    return muted;
  }
}
