import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { redactUrl } from '../../logger.js';

/**
 * Connection defaults, chosen so a Redis restart neither loses commands nor hangs callers:
 * - ioredis reconnects forever (retryStrategy never gives up), backing off to 2 s between tries.
 * - Commands sent while disconnected wait in the offline queue, but only through
 *   `maxRetriesPerRequest` reconnect attempts (~0.6 s plus connect time); then they reject with
 *   MaxRetriesPerRequestError, so the scheduler and delivery worker see an error and retry on
 *   their next tick instead of stacking up behind a dead connection.
 * - `commandTimeout` rejects a command whose reply never comes (a half-open TCP connection).
 * Every store write is idempotent or a single atomic script, so a caller retrying a command that
 * actually ran is harmless.
 */
export const REDIS_CONNECTION_DEFAULTS: RedisOptions = {
  maxRetriesPerRequest: 2,
  enableOfflineQueue: true,
  commandTimeout: 5_000,
  connectTimeout: 5_000,
  retryStrategy: (times: number) => Math.min(times * 200, 2_000),
};

/** A URL (`redis://`, `rediss://`), ioredis options, or a client the caller owns. */
export type RedisConnection = string | RedisOptions | Redis;

export interface OpenedRedis {
  client: Redis;
  /** False when the caller passed its own client: closing the store leaves it open. */
  owned: boolean;
}

/** Creates (or adopts) the client and logs connection loss and recovery once each. */
export function openRedis(connection: RedisConnection, logger: Logger): OpenedRedis {
  if (connection instanceof Redis) return { client: connection, owned: false };
  const client =
    typeof connection === 'string'
      ? new Redis(connection, REDIS_CONNECTION_DEFAULTS)
      : new Redis({ ...REDIS_CONNECTION_DEFAULTS, ...connection });
  const where =
    typeof connection === 'string'
      ? redactUrl(connection)
      : `${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
  let failing = false;
  client.on('error', (err: Error) => {
    // ioredis retries every couple of seconds; one line per outage is enough.
    if (failing) return;
    failing = true;
    logger.warn({ redis: where, err: err.message }, 'redis connection failed; reconnecting');
  });
  client.on('ready', () => {
    if (failing) logger.info({ redis: where }, 'redis connection restored');
    failing = false;
  });
  return { client, owned: true };
}
