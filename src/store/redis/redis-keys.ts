import { Cluster, type Redis } from 'ioredis';
import { prefixHasHashTag } from './hash-tag.js';
import { isClusterConnection, type RedisConnection } from './redis-connection.js';

export const DEFAULT_KEY_PREFIX = 'outage-bot:';
/** The default on a Cluster: the hash tag keeps every key in one slot (see hash-tag.ts). */
export const DEFAULT_CLUSTER_KEY_PREFIX = '{outage-bot}:';

/**
 * The store's key prefix: `keyPrefix`, else the default for the connection. On a Cluster a script
 * may only touch keys of one slot, so there the prefix must carry a hash tag (`{outage-bot}:`),
 * which puts every key of one bot in the same slot. Sharding by service would need the outbox
 * split per slot; one slot holds far more than a bot's state.
 */
export function keyPrefixFor(connection: RedisConnection, keyPrefix: string | undefined): string {
  if (typeof connection === 'object' && 'keyPrefix' in connection && connection.keyPrefix) {
    // ioredis would prefix KEYS but not the key names the scripts build from ARGV.
    throw new Error('Set the store keyPrefix option instead of the ioredis keyPrefix option.');
  }
  const cluster = connection instanceof Cluster || isClusterConnection(connection);
  const prefix = keyPrefix ?? (cluster ? DEFAULT_CLUSTER_KEY_PREFIX : DEFAULT_KEY_PREFIX);
  if (cluster && !prefixHasHashTag(prefix)) {
    throw new Error(
      `On a Redis Cluster the key prefix needs a hash tag, e.g. {outage-bot}: (got ${prefix})`,
    );
  }
  return prefix;
}

/** A store key: `<prefix><kind>:<id>`. */
export const storeKey = (prefix: string, kind: string, id: string): string =>
  `${prefix}${kind}:${id}`;

/** The JSON value at `key`, parsed; undefined when there is none. */
export async function getJson<T>(redis: Redis | Cluster, key: string): Promise<T | undefined> {
  const raw = await redis.get(key);
  return raw === null ? undefined : (JSON.parse(raw) as T);
}

/**
 * GETs in one pipeline. A Cluster pipeline must stay on one node, which the prefix's hash tag
 * guarantees (every key in one slot).
 */
export async function getMany(
  redis: Redis | Cluster,
  keys: readonly string[],
): Promise<(string | null)[]> {
  if (keys.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.get(key);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([err, value]) => {
    if (err) throw err;
    return (value as string | null) ?? null;
  });
}
