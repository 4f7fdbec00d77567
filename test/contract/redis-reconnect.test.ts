import { randomUUID } from 'node:crypto';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { TEST_REDIS_URL } from '../helpers/stores.js';
import { delivery } from './store-fixtures.js';

/** A TCP relay to the test Redis that can be cut and restored, standing in for a Redis restart. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.target.port || 6379), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => this.sockets.delete(s));
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('RedisStore across a Redis restart', () => {
  const relay = new Relay(new URL(TEST_REDIS_URL));
  const keyPrefix = `test:${randomUUID()}:`;
  let store: RedisStore | undefined;

  afterEach(async () => {
    await store?.close();
    await relay.down();
    const direct = new Redis(TEST_REDIS_URL);
    const keys = await direct.keys(`${keyPrefix}*`);
    if (keys.length > 0) await direct.del(...keys);
    direct.disconnect();
  });

  it('rejects commands while Redis is away, then works again once it is back', async () => {
    await relay.up();
    store = new RedisStore({
      connection: `redis://127.0.0.1:${relay.port}`,
      keyPrefix,
      logger: pino({ level: 'silent' }),
    });
    await store.putDoc('before', 1);
    expect(await store.enqueue([delivery('inc1', 0)])).toBe(1);

    await relay.down();
    const started = Date.now();
    await expect(store.getDoc('before')).rejects.toThrow();
    // Callers get an error to retry on, not a promise that hangs until Redis returns.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await store.ping()).toBe(false);

    // A restarted Redis has forgotten the loaded scripts; the store must load them again.
    const direct = new Redis(TEST_REDIS_URL);
    await direct.script('FLUSH');
    direct.disconnect();

    await relay.up();
    await vi.waitFor(async () => expect(await store?.ping()).toBe(true), {
      timeout: 10_000,
      interval: 50,
    });
    expect(await store.getDoc('before')).toBe(1);
    const claimed = await store.claimDeliveries({
      owner: 'a',
      now: new Date(),
      limit: 5,
      leaseMs: 60_000,
    });
    expect(claimed.map((d) => d.id)).toEqual([delivery('inc1', 0).id]);
  });
});
