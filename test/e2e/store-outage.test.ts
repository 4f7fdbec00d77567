import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readiness } from '../helpers/bot-http.js';
import { e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import { freeRedisPort, type RedisNode, startRedisNode } from '../helpers/redis-topology.js';
import {
  allDelivered,
  expectEachChannelOnce,
  RESOLUTION,
  settle,
  stagesSeen,
  startFanout,
  UPDATES,
  viewOf,
  waitUntil,
} from './fanout-fixture.js';

/**
 * Done-when 2 of issue 9: the bot's Redis (append-only, fsync on every write, as an operator
 * runs it) is killed in the middle of an incident, stays away 15 seconds, and is restarted from
 * its file. The bot process stays the same one, reports itself not ready while Redis is away and
 * ready again after, and every channel gets every message of the incident exactly once: nothing
 * the bot had confirmed before the crash is lost, and the update the page posted during the
 * outage is picked up by the polls after it.
 */

const scope = e2eScope();

const CHANNELS = 15;
const OUTAGE_MS = 15_000;
const AOF = ['--appendonly', 'yes', '--appendfsync', 'always'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What /readyz answers, or 'no answer' while the HTTP server itself does not. */
async function readyStatus(port: string): Promise<number | 'no answer'> {
  return readiness(port).then(
    (r) => r.status,
    () => 'no answer' as const,
  );
}

async function waitForReadiness(port: string, status: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await readyStatus(port)) !== status) {
    if (Date.now() > until) throw new Error(`/readyz never answered ${status}`);
    await sleep(100);
  }
}

const countBy = (items: string[]) =>
  items.reduce<Record<string, number>>((acc, item) => {
    acc[item] = (acc[item] ?? 0) + 1;
    return acc;
  }, {});

describe('store outage', () => {
  it(`Redis killed for ${OUTAGE_MS / 1000} s mid-incident and restarted from its AOF: bot stays up, not ready meanwhile, each message once`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outage-bot-aof-'));
    scope.defer(() => rmSync(dir, { recursive: true, force: true }));
    const port = await freeRedisPort();
    let redis: RedisNode = await startRedisNode(dir, port, AOF);
    scope.defer(() => redis.stop());

    const fan = await startFanout(scope, {
      store: 'redis',
      channelsPerPlatform: CHANNELS,
      redisUrl: `redis://127.0.0.1:${port}`,
    });
    const { page, env } = fan;
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started', 30_000);
    const pid = bot.pid;
    await waitForReadiness(env.PORT as string, 200, 30_000);

    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    const key = `acme:${id}`;
    const stages = () => stagesSeen(viewOf(fan, key));
    await waitUntil(() => stages().every((n) => n >= 1), 'every start message', 60_000);
    page.setIncident({ id, ...UPDATES[0] });
    // Mid fan-out of the first update: some channels have it, others are still waiting.
    await waitUntil(() => stages().some((n) => n >= 2), 'the first update somewhere', 60_000);

    await redis.kill();
    const downAt = Date.now();
    // News while the store is away: the polls of the outage fail, a later one must find it.
    page.setIncident({ id, ...UPDATES[1] });
    await waitForReadiness(env.PORT as string, 503, 10_000);
    expect((await readiness(env.PORT as string)).body).toBe(
      'not ready: the redis store does not answer\n',
    );
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    expect(await readyStatus(env.PORT as string)).toBe(503);
    expect(bot.running).toBe(true);

    redis = await startRedisNode(dir, port, AOF);
    const upAt = Date.now();
    await waitForReadiness(env.PORT as string, 200, 30_000);
    console.log(`store outage: Redis away ${Math.round((Date.now() - downAt) / 1000)} s`);
    await waitUntil(() => stages().every((n) => n >= 3), 'the second update everywhere', 90_000);
    page.resolveIncident(id, RESOLUTION);
    await waitUntil(() => allDelivered(viewOf(fan, key)), 'every channel complete', 90_000);
    await settle(fan);

    expect(bot.running).toBe(true);
    expect(bot.pid).toBe(pid);
    expect(bot.logs().some((l) => l.msg === 'redis connection restored')).toBe(true);
    const during = bot.logs().filter((l) => Number(l.time) > downAt && Number(l.time) < upAt);
    console.log(
      `store outage: log lines while Redis was away: ${JSON.stringify(countBy(during.map((l) => String(l.msg))))}`,
    );
    expectEachChannelOnce(fan, key);
  }, 240_000);
});
