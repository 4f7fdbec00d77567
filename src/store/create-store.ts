import type { Logger } from 'pino';
import { SqliteStore } from './embedded/sqlite-store.js';
import {
  describeConnection,
  type RedisConnection,
  type RedisSettings,
  redisConnectionOf,
} from './redis/redis-connection.js';
import { RedisStore } from './redis/redis-store.js';
import type { Store } from './store.js';

export interface CreateStoreOptions extends Omit<RedisSettings, 'url'> {
  /** Use Redis at this URL; when unset (and no Sentinel, Cluster or `redis`), the embedded store. */
  redisUrl?: string | undefined;
  /** A connection instead of the settings (ioredis options, TLS details); wins over them. */
  redis?: RedisConnection;
  /** Folder of the embedded store. */
  dataDir: string;
  /** Redis key prefix; default `outage-bot:`, on a Cluster `{outage-bot}:`. */
  keyPrefix?: string | undefined;
  logger: Logger;
  /** Clock for leases and expiry (a replay's simulated clock); the system's by default. */
  now?: () => number;
  /** How long incident history is kept (HISTORY_RETENTION_DAYS); 90 days by default. */
  historyRetentionMs?: number;
}

/** Picks the store the configuration asks for and says which one in the log. */
export function createStore(options: CreateStoreOptions): Store {
  const { logger } = options;
  const connection = options.redis ?? redisConnectionOf({ ...options, url: options.redisUrl });
  if (connection !== undefined && connection !== '') {
    const store = new RedisStore({
      connection,
      ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
      logger,
      ...(options.now ? { now: options.now } : {}),
      ...retention(options),
    });
    const where = describeConnection(connection);
    logger.info({ store: 'redis', redis: where, keyPrefix: store.prefix }, 'using redis store');
    return store;
  }
  const store = new SqliteStore({
    dataDir: options.dataDir,
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...retention(options),
  });
  logger.info({ store: 'embedded', path: store.path }, 'using embedded store');
  return store;
}

const retention = (options: CreateStoreOptions) =>
  options.historyRetentionMs === undefined
    ? {}
    : { historyRetentionMs: options.historyRetentionMs };
