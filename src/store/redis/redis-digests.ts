import type { Cluster, Redis } from 'ioredis';
import type { DigestSetting } from '../../digest/digest-model.js';
import { type ChannelRef, channelKey } from '../../incidents/subscription.js';
import type { DigestStore } from '../digests.js';

/**
 * The Redis store's digest settings: `digest:settings`, one hash channelKey -> JSON
 * DigestSetting under the store's prefix (one key, so a Cluster slot holds it with the rest).
 */
export class RedisDigests implements DigestStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis | Cluster,
    prefix: string,
  ) {
    this.key = `${prefix}digest:settings`;
  }

  async put(setting: DigestSetting): Promise<void> {
    await this.redis.hset(this.key, channelKey(setting.channel), JSON.stringify(setting));
  }

  async get(channel: ChannelRef): Promise<DigestSetting | undefined> {
    const body = await this.redis.hget(this.key, channelKey(channel));
    return body === null ? undefined : (JSON.parse(body) as DigestSetting);
  }

  async remove(channel: ChannelRef): Promise<boolean> {
    return (await this.redis.hdel(this.key, channelKey(channel))) > 0;
  }

  async list(): Promise<DigestSetting[]> {
    const all = await this.redis.hgetall(this.key);
    return Object.keys(all)
      .sort()
      .map((key) => JSON.parse(all[key] as string) as DigestSetting);
  }
}
