import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ensureRedis, NO_REDIS_HINT, redisAnswers } from '../../helpers/test-redis.js';

/** A port nothing listens on: bound once to learn it, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

describe("the suite's Redis (global setup)", () => {
  it('starts its own redis-server when nothing answers, and stops it at teardown', async () => {
    const closed = `redis://127.0.0.1:${await closedPort()}`;
    expect(await redisAnswers(closed)).toBe(false);
    const redis = await ensureRedis({ url: closed });
    try {
      expect(redis.url).not.toBe(closed);
      expect(await redisAnswers(redis.url)).toBe(true);
    } finally {
      await redis.stop();
    }
    expect(await redisAnswers(redis.url)).toBe(false);
  });

  it('uses a Redis that already answers and leaves it running', async () => {
    const own = await ensureRedis({ url: `redis://127.0.0.1:${await closedPort()}` });
    try {
      const reused = await ensureRedis({ url: own.url });
      expect(reused.url).toBe(own.url);
      await reused.stop();
      expect(await redisAnswers(own.url)).toBe(true);
    } finally {
      await own.stop();
    }
  });

  it('stops at once with one line saying how to get Redis when it cannot start one', async () => {
    const closed = `redis://127.0.0.1:${await closedPort()}`;
    const failure = await ensureRedis({ url: closed, binary: 'redis-server-not-installed' }).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(failure).toBe(
      `No Redis answers at ${closed} and starting redis-server failed (spawn redis-server-not-installed ENOENT). ${NO_REDIS_HINT}.`,
    );
    expect(failure).not.toContain('\n');
  });
});
