import type { Cluster, Redis } from 'ioredis';
import type { ThreadRef } from '../../incidents/subscription.js';
import { THREAD_REF_TTL_MS } from '../../lifetimes.js';
import { getJson, getMany, storeKey } from './redis-keys.js';

/** The Redis store's thread refs: `thread:<thread>`, JSON ThreadRef, PX THREAD_REF_TTL_MS. */
export class RedisThreads {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {}

  async get(thread: string): Promise<ThreadRef | undefined> {
    return getJson<ThreadRef>(this.redis, this.key(thread));
  }

  async getMany(threads: readonly string[]): Promise<Map<string, ThreadRef>> {
    const raws = await getMany(
      this.redis,
      threads.map((thread) => this.key(thread)),
    );
    const found = new Map<string, ThreadRef>();
    threads.forEach((thread, i) => {
      const raw = raws[i];
      if (raw) found.set(thread, JSON.parse(raw) as ThreadRef);
    });
    return found;
  }

  async put(thread: string, ref: ThreadRef): Promise<void> {
    await this.redis.set(this.key(thread), JSON.stringify(ref), 'PX', THREAD_REF_TTL_MS);
  }

  private key(thread: string): string {
    return storeKey(this.prefix, 'thread', thread);
  }
}
