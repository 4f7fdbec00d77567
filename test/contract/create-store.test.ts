import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_REDIS_URL } from '../helpers/stores.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe('createStore', () => {
  let dataDir: string;
  let store: Store | undefined;

  afterEach(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('opens the embedded store under dataDir when no Redis is configured', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-create-'));
    const { logger, lines } = capture();
    store = createStore({ dataDir: join(dataDir, 'nested'), logger });
    expect(store.kind).toBe('embedded');
    expect(await store.ping()).toBe(true);
    expect(existsSync(join(dataDir, 'nested', 'outage-bot.sqlite'))).toBe(true);
    expect(lines.join('')).toContain('using embedded store');
  });

  it('uses Redis when a URL is given, never logging its password', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-create-'));
    const { logger, lines } = capture();
    const url = new URL(TEST_REDIS_URL);
    url.username = 'default';
    url.password = 'hunter2-secret';
    const keyPrefix = `test:${randomUUID()}:`;
    // A password on a server without auth fails the connection; ping just reports it.
    store = createStore({ redisUrl: url.toString(), dataDir, keyPrefix, logger });
    expect(store.kind).toBe('redis');
    expect(existsSync(join(dataDir, 'outage-bot.sqlite'))).toBe(false);
    await store.ping();
    expect(lines.join('')).toContain('using redis store');
    expect(lines.join('')).toContain(keyPrefix);
    expect(lines.join('')).not.toContain('hunter2-secret');
  });

  it('uses Redis through ioredis options', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-create-'));
    const url = new URL(TEST_REDIS_URL);
    store = createStore({
      redis: { host: url.hostname, port: Number(url.port || 6379) },
      dataDir,
      keyPrefix: `test:${randomUUID()}:`,
      logger: pino({ level: 'silent' }),
    });
    expect(store.kind).toBe('redis');
    expect(await store.ping()).toBe(true);
  });
});
