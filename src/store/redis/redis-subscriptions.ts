import type { Cluster, Redis } from 'ioredis';
import type { Service } from '../../incidents/model.js';
import { type ChannelRef, channelKey, type Subscription } from '../../incidents/subscription.js';
import { getMany, storeKey } from './redis-keys.js';
import * as lua from './scripts.js';

interface SubscriptionScripts {
  subPut(...args: string[]): Promise<number>;
  subRemove(...args: (string | number)[]): Promise<number>;
  chatServicePut(...args: (string | number)[]): Promise<number>;
  chatServicePrune(...args: string[]): Promise<number>;
}

/**
 * The Redis store's subscriptions and the services added from chat, together because a
 * subscription decides how long a chat-added service is kept. Keys under the prefix:
 * - `sub:svc:<serviceId>`   hash channelKey -> JSON Subscription
 * - `sub:ch:<channelKey>`   hash serviceId -> JSON Subscription (same data, by channel)
 * - `sub:services`          set of service ids with at least one subscription
 * - `chatsvc:<serviceId>`   JSON Service added from chat (PX while nobody follows it)
 * - `chatsvc:ids`           set of chat-added service ids (may name expired ones)
 */
export class RedisSubscriptions {
  private readonly scripts: SubscriptionScripts;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    private readonly chatServiceGraceMs: number,
  ) {
    redis.defineCommand('subPut', { numberOfKeys: 1, lua: lua.PUT_SUBSCRIPTION });
    redis.defineCommand('subRemove', { numberOfKeys: 1, lua: lua.REMOVE_SUBSCRIPTION });
    redis.defineCommand('chatServicePut', { numberOfKeys: 1, lua: lua.PUT_CHAT_SERVICE });
    redis.defineCommand('chatServicePrune', { numberOfKeys: 1, lua: lua.PRUNE_CHAT_SERVICES });
    this.scripts = redis as unknown as SubscriptionScripts;
  }

  async put(sub: Subscription): Promise<'created' | 'updated'> {
    const created = await this.scripts.subPut(
      this.key('sub', 'services'),
      this.prefix,
      sub.serviceId,
      channelKey(sub.channel),
      JSON.stringify(sub),
    );
    return created === 1 ? 'created' : 'updated';
  }

  async remove(serviceId: string, channel: ChannelRef): Promise<boolean> {
    const removed = await this.scripts.subRemove(
      this.key('sub', 'services'),
      this.prefix,
      serviceId,
      channelKey(channel),
      this.chatServiceGraceMs,
    );
    return removed === 1;
  }

  async listForChannel(channel: ChannelRef): Promise<Subscription[]> {
    return this.subscriptions(this.key('sub:ch', channelKey(channel)));
  }

  async listForService(serviceId: string): Promise<Subscription[]> {
    return this.subscriptions(this.key('sub:svc', serviceId));
  }

  async listServiceIds(): Promise<string[]> {
    return (await this.redis.smembers(this.key('sub', 'services'))).sort();
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
    const raws = await getMany(
      this.redis,
      ids.map((id) => this.key('chatsvc', id)),
    );
    const gone = ids.filter((_, i) => !raws[i]);
    // An expired record leaves its id behind; the script re-checks, so a put meanwhile stays.
    if (gone.length > 0) await this.scripts.chatServicePrune(index, this.prefix, ...gone);
    return raws.filter((raw): raw is string => !!raw).map((raw) => JSON.parse(raw) as Service);
  }

  private key(kind: string, id: string): string {
    return storeKey(this.prefix, kind, id);
  }

  private async subscriptions(key: string): Promise<Subscription[]> {
    const all = await this.redis.hgetall(key);
    return Object.keys(all)
      .sort()
      .map((field) => JSON.parse(all[field] as string) as Subscription);
  }
}
