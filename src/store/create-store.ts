import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { redactUrl } from '../logger.js';
import { SqliteStore } from './embedded/sqlite-store.js';
import { RedisStore } from './redis/redis-store.js';
import type { Store } from './store.js';

export interface CreateStoreOptions {
  /** Use Redis at this URL; when unset (and no `redis` options), the embedded store. */
  redisUrl?: string;
  /** ioredis options instead of a URL (Sentinel, TLS details); wins over `redisUrl`. */
  redis?: RedisOptions;
  /** Folder of the embedded store. */
  dataDir: string;
  /** Redis key prefix; default `outage-bot:`. */
  keyPrefix?: string;
  logger: Logger;
  /** Clock for leases and expiry (a replay's simulated clock); the system's by default. */
  now?: () => number;
}

/** Picks the store the configuration asks for and says which one in the log. */
export function createStore(options: CreateStoreOptions): Store {
  const { logger } = options;
  const connection = options.redis ?? options.redisUrl;
  if (connection !== undefined && connection !== '') {
    const store = new RedisStore({
      connection,
      keyPrefix: options.keyPrefix,
      logger,
      ...(options.now ? { now: options.now } : {}),
    });
    const where = typeof connection === 'string' ? redactUrl(connection) : 'ioredis options';
    logger.info({ store: 'redis', redis: where, keyPrefix: store.prefix }, 'using redis store');
    return store;
  }
  const store = new SqliteStore({
    dataDir: options.dataDir,
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  logger.info({ store: 'embedded', path: store.path }, 'using embedded store');
  return store;
}
