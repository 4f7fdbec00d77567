import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** Where the suite finds Redis unless told otherwise. */
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export const NO_REDIS_HINT =
  'Start one with `redis-server --port 6379 --save "" --appendonly no`, set TEST_REDIS_URL, or install redis-server so the tests can start their own';

export interface TestRedis {
  url: string;
  /** Stops a server this started; nothing for one that was already there. */
  stop(): Promise<void>;
}

export interface EnsureRedisOptions {
  url: string;
  /** How to start redis-server; the PATH lookup is spawn's own. */
  binary?: string;
  /** How long a started server may take to answer PING. */
  startTimeoutMs?: number;
}

/** True when a Redis answers PING at `url`. */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * The Redis the tests use: the one at `url` if it answers, otherwise a throwaway redis-server on
 * a free port (no persistence). Throws one line saying how to get Redis when neither works.
 */
export async function ensureRedis(options: EnsureRedisOptions): Promise<TestRedis> {
  if (await redisAnswers(options.url)) return { url: options.url, stop: async () => {} };
  const port = await freePort();
  const child = spawn(
    options.binary ?? 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const failed = once(child, 'error').then(([err]) => err as Error);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  for (;;) {
    const outcome = await Promise.race([
      failed,
      redisAnswers(url).then((up) => (up ? 'up' : 'down')),
    ]);
    if (outcome === 'up') return { url, stop: () => stopChild(child) };
    if (outcome instanceof Error || child.exitCode !== null || Date.now() > deadline) {
      await stopChild(child);
      const why = outcome instanceof Error ? outcome.message : 'it did not answer';
      throw new Error(
        `No Redis answers at ${options.url} and starting redis-server failed (${why}). ${NO_REDIS_HINT}.`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
