import { describe, expect, it } from 'vitest';
import { FAULTS } from '../fakes/discord/index.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import { seededRandom } from '../helpers/seeded-random.js';
import {
  allDelivered,
  expectEachChannelOnce,
  type Fanout,
  RESOLUTION,
  stagesSeen,
  startFanout,
  UPDATES,
  viewOf,
  waitUntil,
} from './fanout-fixture.js';
import { killAt, killMoments } from './kill-moments.js';

/**
 * Done-when 1 of issue 9: one incident (start, two updates, resolution) to 300 Slack and 300
 * Discord channels, the real bot SIGKILLed 20 times while it fans out (see kill-moments.ts for
 * when), restarted each time. Every channel ends with exactly one start message, each update
 * once in its thread, one resolution and one edit of the start message.
 *
 * The moments come from a seeded generator; the seed is printed, and STORM_SEED replays a run
 * (as far as the timing of two processes on a shared machine replays at all).
 */

const CHANNELS = 300;
/**
 * About 140 s on a quiet 2-core machine; under stress-ng beside the rest of the suite a storm
 * has needed more than 300 s. The checks are what was delivered, never how fast.
 */
const STORM_BUDGET_MS = 600_000;
const KILLS = 20;

/**
 * Every write takes effect at once and is answered this much later, as over a real network: a
 * kill then lands after the platform acted and before the bot heard of it.
 */
const ANSWER_LATENCY_MS = 40;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Some channel shows `stage` messages of the incident: the poll that produced it committed. */
async function waitForStage(fan: Fanout, key: string, stage: number): Promise<void> {
  await waitUntil(
    () => stagesSeen(viewOf(fan, key)).some((n) => n >= stage),
    `some channel at stage ${stage}`,
    120_000,
  );
}

/** Messages of the incident on both platforms so far. */
function delivered(fan: Fanout, key: string): number {
  return stagesSeen(viewOf(fan, key)).reduce((a, b) => a + b, 0);
}

/** One store per test file, so the two storms run side by side in the pool. */
export function describeCrashStorm(store: 'embedded' | 'redis') {
  describe(`crash storm (${store} store)`, () => crashStorm(store));
}

function crashStorm(store: 'embedded' | 'redis') {
  const scope = e2eScope();
  it(
    `${KILLS} SIGKILLs during a fan-out to ${CHANNELS} + ${CHANNELS} channels: each message once`,
    async () => {
      const seed = Number(process.env.STORM_SEED ?? Date.now() % 1_000_000);
      const moments = killMoments(seededRandom(seed), KILLS);
      console.log(`crash storm (${store}): seed ${seed} (STORM_SEED=${seed} replays it)`);
      const fan = await startFanout(scope, {
        store,
        channelsPerPlatform: CHANNELS,
        extra: { OUTBOX_LEASE_MS: '5000' },
      });
      const { page, env } = fan;
      fan.discord.addFault({ fault: FAULTS.delay(ANSWER_LATENCY_MS), afterEffect: true });
      fan.slack.fail({ method: /^chat\./, delayMs: ANSWER_LATENCY_MS, afterCommit: true });
      const started = Date.now();
      let bot: BotProcess = scope.startBot(env);
      await bot.waitForLog('outage-bot started', 30_000);
      await page.waitForRequests('summary', 2, 15_000);

      const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
      const key = `acme:${id}`;
      // The page moves on as soon as the bot has committed each stage, so the whole incident is
      // in the outbox while the kills come.
      const incident = (async () => {
        await waitForStage(fan, key, 1);
        for (const [i, update] of UPDATES.entries()) {
          page.setIncident({ id, ...update });
          await waitForStage(fan, key, i + 2);
        }
        page.resolveIncident(id, RESOLUTION);
      })();

      const kills: string[] = [];
      for (const moment of moments) {
        await bot.waitForLog('outage-bot started', 30_000);
        const what = await killAt(fan, bot, moment);
        kills.push(`${what} (${delivered(fan, key)} delivered)`);
        bot = scope.startBot(env);
      }
      await incident;
      await bot.waitForLog('outage-bot started', 30_000);
      await waitUntil(() => allDelivered(viewOf(fan, key)), 'every channel complete', 150_000);
      const done = Date.now();
      // A few more polls and passes of the worker: nothing may come twice after the fact.
      await page.waitForRequests('summary', page.requestCount('summary') + 3, 15_000);
      await sleep(2_000);
      console.log(
        `crash storm (${store}): killed at ${kills.join('; ')}; all delivered ${Math.round((done - started) / 1000)} s after the first start`,
      );
      expect(kills).toHaveLength(KILLS);
      expectEachChannelOnce(fan, key);
    },
    STORM_BUDGET_MS,
  );
}
