import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

/**
 * Real Redis topologies for tests, on free local ports, each in a temp dir of its own: a primary
 * with a replica watched by three sentinels, and a three-primary Cluster. Everything started here
 * is stopped (and its files removed) by `stop()`.
 */

const run = promisify(execFile);

export interface RedisNode {
  port: number;
  readonly running: boolean;
  /** A short-lived client to this node (closed after `fn`). */
  query<T>(fn: (redis: Redis) => Promise<T>): Promise<T>;
  /** SIGKILL: the node vanishes as a crashed machine would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** A port free for TCP, and (for Cluster's bus) so is port + 10000. */
export async function freeRedisPort(withBus = false): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await portFree(port)) && (!withBus || (await portFree(port + 10_000)))) return port;
  }
  throw new Error('no free port pair found for redis-server');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Starts `redis-server` with `args` (and a config file, for sentinels) and waits for PING. */
export async function startRedisNode(
  dir: string,
  port: number,
  args: string[],
  configFile?: string,
): Promise<RedisNode> {
  const base = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  const child = spawn('redis-server', [...(configFile ? [configFile] : []), ...base, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const failed = once(child, 'error').then(([err]) => err as Error);
  const node = nodeOf(port, child);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await Promise.race([failed, answers(port)]);
    if (up === true) return node;
    if (up instanceof Error || child.exitCode !== null || Date.now() > deadline) {
      await node.stop();
      const why = up instanceof Error ? up.message : stderr.trim() || 'it did not answer';
      throw new Error(`redis-server on port ${port} did not start: ${why}`);
    }
    await sleep(50);
  }
}

function nodeOf(port: number, child: ChildProcess): RedisNode {
  const exited = once(child, 'exit');
  const running = () => child.exitCode === null && child.signalCode === null;
  const end = async (signal: NodeJS.Signals) => {
    if (!running()) return;
    child.kill(signal);
    await exited;
  };
  return {
    port,
    get running() {
      return running();
    },
    query: (fn) => withClient(port, fn),
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

async function withClient<T>(port: number, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    return (await withClient(port, (r) => r.ping())) === 'PONG';
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const infoField = (info: string, field: string): string | undefined =>
  new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();

export interface SentinelSetup {
  masterName: string;
  primary: RedisNode;
  replica: RedisNode;
  sentinels: RedisNode[];
  /** `host:port,...` for REDIS_SENTINELS. */
  sentinelList: string;
  /** The port the sentinels name as primary now. */
  primaryPort(): Promise<number>;
  /** Waits until the replica has every write the primary has (nothing to lose in a failover). */
  replicaCaughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/** A primary, its replica, and three sentinels (quorum 2) that promote the replica within seconds. */
export async function startSentinelSetup(masterName = 'outagebot'): Promise<SentinelSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'outage-bot-sentinel-'));
  const nodes: RedisNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const primary = await startRedisNode(dir, await freeRedisPort(), ['--appendonly', 'no']);
    nodes.push(primary);
    const replica = await startRedisNode(dir, await freeRedisPort(), [
      '--replicaof',
      '127.0.0.1',
      String(primary.port),
    ]);
    nodes.push(replica);
    await waitUntil(
      async () =>
        infoField(await replica.query((r) => r.info('replication')), 'master_link_status') === 'up',
      'the replica to sync',
    );
    const sentinels: RedisNode[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freeRedisPort();
      const file = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        file,
        [
          `sentinel monitor ${masterName} 127.0.0.1 ${primary.port} 2`,
          `sentinel down-after-milliseconds ${masterName} 1000`,
          `sentinel failover-timeout ${masterName} 5000`,
          `sentinel parallel-syncs ${masterName} 1`,
          '',
        ].join('\n'),
      );
      const sentinel = await startRedisNode(dir, port, ['--sentinel'], file);
      nodes.push(sentinel);
      sentinels.push(sentinel);
    }
    // An election needs the sentinels to know each other and the replica (hello messages, ~2 s).
    for (const sentinel of sentinels) {
      await waitUntil(async () => {
        const peers = (await sentinel.query((r) =>
          r.call('SENTINEL', 'SENTINELS', masterName),
        )) as unknown[];
        const replicas = (await sentinel.query((r) =>
          r.call('SENTINEL', 'REPLICAS', masterName),
        )) as unknown[];
        return peers.length === 2 && replicas.length === 1;
      }, `sentinel ${sentinel.port} to discover its peers and the replica`);
    }
    const primaryPort = async () => {
      for (const sentinel of sentinels.filter((s) => s.running)) {
        const addr = (await sentinel
          .query((r) => r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName))
          .catch(() => null)) as string[] | null;
        if (addr?.[1]) return Number(addr[1]);
      }
      throw new Error('no sentinel answers');
    };
    return {
      masterName,
      primary,
      replica,
      sentinels,
      sentinelList: sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      primaryPort,
      replicaCaughtUp: () =>
        waitUntil(async () => {
          const offset = infoField(
            await primary.query((r) => r.info('replication')),
            'master_repl_offset',
          );
          const copied = infoField(
            await replica.query((r) => r.info('replication')),
            'slave_repl_offset',
          );
          return offset !== undefined && offset === copied;
        }, 'the replica to catch up'),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface ClusterSetup {
  nodes: RedisNode[];
  /** `host:port,...` for REDIS_CLUSTER_NODES. */
  nodeList: string;
  /** Deletes every key on every primary (between tests). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Three primaries, no replicas, the 16384 slots split between them by `redis-cli --cluster`. */
export async function startCluster(size = 3): Promise<ClusterSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'outage-bot-cluster-'));
  const nodes: RedisNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const port = await freeRedisPort(true);
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`];
      args.push('--cluster-node-timeout', '2000', '--appendonly', 'no');
      nodes.push(await startRedisNode(dir, port, args));
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-yes'], {
      timeout: 30_000,
    });
    for (const node of nodes) {
      await waitUntil(
        async () =>
          infoField(String(await node.query((r) => r.cluster('INFO'))), 'cluster_state') === 'ok',
        `cluster node ${node.port} to be ok`,
      );
    }
    return {
      nodes,
      nodeList: addresses.join(','),
      flush: async () => {
        await Promise.all(nodes.map((n) => n.query((r) => r.flushall())));
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
