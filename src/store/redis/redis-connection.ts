import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
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

export interface HostPort {
  host: string;
  port: number;
}

/** A Redis Cluster: some of its nodes (the rest are discovered), and options for every node. */
export interface ClusterConnection {
  clusterNodes: HostPort[];
  nodeOptions?: RedisOptions;
}

/**
 * A URL (`redis://`, `rediss://`), ioredis options (Sentinel: `sentinels` and `name`), a Cluster's
 * nodes, or a client the caller owns.
 */
export type RedisConnection = string | RedisOptions | ClusterConnection | Redis | Cluster;

/** What the operator configured (REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES). */
export interface RedisSettings {
  url?: string | undefined;
  sentinels?: readonly HostPort[];
  sentinelName?: string | undefined;
  clusterNodes?: readonly HostPort[];
}

/**
 * The connection the settings ask for, or undefined for none (the embedded store). With Sentinel
 * or Cluster, REDIS_URL is optional and only lends its user, password, database and TLS to the
 * data nodes (the node addresses come from the sentinels or the cluster).
 */
export function redisConnectionOf(settings: RedisSettings): RedisConnection | undefined {
  const credentials = settings.url ? credentialsOf(settings.url) : {};
  if (settings.clusterNodes && settings.clusterNodes.length > 0) {
    const { db: _clusterHasNoDatabases, ...nodeOptions } = credentials;
    return { clusterNodes: [...settings.clusterNodes], nodeOptions };
  }
  if (settings.sentinels && settings.sentinels.length > 0) {
    return {
      ...credentials,
      sentinels: [...settings.sentinels],
      name: settings.sentinelName ?? 'mymaster',
      // Hear of a failover from the sentinels at once instead of at the next failed command.
      failoverDetector: true,
      // A primary demoted under us answers READONLY: reconnect (to the new primary) and resend.
      reconnectOnError: (err: Error) => (err.message.startsWith('READONLY') ? 2 : false),
    };
  }
  return settings.url;
}

function credentialsOf(url: string): RedisOptions {
  const parsed = new URL(url);
  const options: RedisOptions = {};
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  const db = Number(parsed.pathname.slice(1));
  if (parsed.pathname.length > 1 && Number.isInteger(db)) options.db = db;
  if (parsed.protocol === 'rediss:') options.tls = {};
  return options;
}

export const isClusterConnection = (c: RedisConnection): c is ClusterConnection =>
  typeof c === 'object' && 'clusterNodes' in c;

/** Where a connection goes, for logs: never a password. */
export function describeConnection(connection: RedisConnection): string {
  if (typeof connection === 'string') return redactUrl(connection);
  if (connection instanceof Cluster) return 'cluster (client given)';
  if (connection instanceof Redis) return 'redis (client given)';
  const list = (nodes: readonly Partial<HostPort>[]) =>
    nodes.map((n) => `${n.host ?? '127.0.0.1'}:${n.port ?? 6379}`).join(',');
  if (isClusterConnection(connection)) return `cluster ${list(connection.clusterNodes)}`;
  if (connection.sentinels) {
    return `sentinel ${connection.name ?? ''} via ${list(connection.sentinels)}`;
  }
  return `${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
}

export interface OpenedRedis {
  client: Redis | Cluster;
  /** False when the caller passed its own client: closing the store leaves it open. */
  owned: boolean;
}

/** Creates (or adopts) the client and logs connection loss and recovery once each. */
export function openRedis(connection: RedisConnection, logger: Logger): OpenedRedis {
  if (connection instanceof Redis || connection instanceof Cluster) {
    return { client: connection, owned: false };
  }
  const client = createClient(connection);
  const where = describeConnection(connection);
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
  if (client instanceof Cluster) {
    client.on('+node', () => logger.debug({ redis: where }, 'redis cluster node added'));
  }
  return { client, owned: true };
}

function createClient(connection: string | RedisOptions | ClusterConnection): Redis | Cluster {
  if (typeof connection === 'string') return new Redis(connection, REDIS_CONNECTION_DEFAULTS);
  if (!isClusterConnection(connection)) {
    return new Redis({ ...REDIS_CONNECTION_DEFAULTS, ...connection });
  }
  const { retryStrategy, enableOfflineQueue, ...nodeDefaults } = REDIS_CONNECTION_DEFAULTS;
  const options: ClusterOptions = {
    enableOfflineQueue,
    clusterRetryStrategy: retryStrategy,
    // A failover moves slots: wait this long before following the new MOVED answers.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    redisOptions: { ...nodeDefaults, ...connection.nodeOptions },
  };
  return new Cluster(connection.clusterNodes, options);
}
