import { describe, expect, it } from 'vitest';
import { FAULTS } from '../fakes/discord/index.js';
import { readiness } from '../helpers/bot-http.js';
import { e2eScope, openApiIncident } from '../helpers/e2e-env.js';
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
 * Done-when 7 of issue 9: SIGTERM while one incident fans out to 120 Slack and 120 Discord
 * channels. The bot stops polling, finishes or hands back the sends in flight, closes its
 * connections and exits 0 (the issue allows 10 seconds). Started again, it finishes the fan-out
 * and the rest of the incident: every channel gets every message exactly once.
 */

const scope = e2eScope();

const CHANNELS = 120;
/** What the issue gives a shutdown. */
const SHUTDOWN_LIMIT_MS = 10_000;
/** Each write takes effect at once and is answered this much later: sends are in flight. */
const ANSWER_LATENCY_MS = 40;
/** Longer than the shutdown and the bot's Slack request timeout. */
const HUNG_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every distinct answer of /readyz (status and body) until `done` settles. */
async function readinessUntil(port: string, done: Promise<unknown>): Promise<string[]> {
  let over = false;
  void done.finally(() => {
    over = true;
  });
  const seen = new Set<string>();
  while (!over) {
    const answer = await readiness(port).then(
      (r) => `${r.status} ${r.body}`,
      () => 'no answer',
    );
    seen.add(answer);
    await sleep(50);
  }
  return [...seen];
}

describe.each(['redis', 'embedded'] as const)('graceful shutdown (%s store)', (store) => {
  it(`SIGTERM during a fan-out to ${CHANNELS} + ${CHANNELS} channels exits 0, and a restart finishes it with each message once`, async () => {
    const fan = await startFanout(scope, {
      store,
      channelsPerPlatform: CHANNELS,
      extra: { OUTBOX_LEASE_MS: '5000' },
    });
    const { page, env } = fan;
    fan.discord.addFault({ fault: FAULTS.delay(ANSWER_LATENCY_MS), afterEffect: true });
    fan.slack.fail({ method: /^chat\./, delayMs: ANSWER_LATENCY_MS, afterCommit: true });
    let posts = 0;
    fan.slack.onEffect((method) => {
      if (method === 'chat.postMessage') posts++;
    });
    const first = scope.startBot(env);
    await first.waitForLog('outage-bot started', 30_000);

    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    const key = `acme:${id}`;
    const started = () => stagesSeen(viewOf(fan, key)).filter((n) => n >= 1).length;
    const stages = () => stagesSeen(viewOf(fan, key));
    await waitUntil(() => started() >= 20 && posts >= 9, 'the fan-out under way', 60_000);
    // The first update joins the fan-out: replies wait for their channel's posting slot while
    // other starts are still on the wire (and a hung one with them).
    page.setIncident({ id, ...UPDATES[0] });
    await waitUntil(() => stages().some((n) => n >= 2), 'the first update somewhere', 60_000);
    // Then a few posts Slack takes in and answers only after the bot's request timeout: sends the
    // shutdown cannot wait for. The signal follows the third at once, so all three are still on
    // the wire however slowly a loaded machine got here (the request timeout is 10 s).
    const hung = fan.slack.fail(
      { method: 'chat.postMessage', every: 4, times: 3, delayMs: HUNG_MS, afterCommit: true },
      { first: true },
    );
    await waitUntil(() => hung.fired() === 3, 'three posts hanging', 60_000);

    const atSignal = stages().filter((n) => n >= 2).length;
    const signalled = Date.now();
    const exited = first.kill('SIGTERM');
    const answers = readinessUntil(env.PORT as string, exited);
    // Generous: a shutdown that hangs fails here rather than at the test's timeout.
    const code = await Promise.race([exited, sleep(60_000).then(() => 'still running' as const)]);
    const tookMs = Date.now() - signalled;
    const handedBack = first.logs().find((l) => l.msg === 'delivery worker stopped');
    console.log(
      `graceful shutdown (${store}): exit ${String(code)} ${tookMs} ms after SIGTERM; ${atSignal} of ${2 * CHANNELS} channels had the first update at the signal, ${stages().filter((n) => n >= 2).length} at exit; worker: ${JSON.stringify(handedBack)}`,
    );
    const shutdownLog = first.logs().filter((l) => Number(l.time) >= signalled);
    console.log(
      `graceful shutdown (${store}): ${JSON.stringify(shutdownLog.map((l) => `${l.msg}`))}`,
    );
    expect(code).toBe(0);
    // Out of rotation while it finishes: what a load balancer probing it saw.
    expect(await answers).toContain('503 not ready: shutting down\n');
    expect(tookMs).toBeLessThan(SHUTDOWN_LIMIT_MS);
    expect(first.logs().some((l) => l.msg === 'stopped cleanly')).toBe(true);
    // The hung posts were on the wire: kept leased (never handed to a second sender).
    expect(Number(handedBack?.leftToLease)).toBeGreaterThan(0);
    expect(stages().filter((n) => n < 2).length).toBeGreaterThan(0);

    const second = scope.startBot(env);
    await second.waitForLog('outage-bot started', 30_000);
    await waitUntil(() => stages().every((n) => n >= 2), 'the first update everywhere', 120_000);
    page.setIncident({ id, ...UPDATES[1] });
    await waitUntil(() => stages().every((n) => n >= 3), 'the second update everywhere', 120_000);
    page.resolveIncident(id, RESOLUTION);
    await waitUntil(() => allDelivered(viewOf(fan, key)), 'every channel complete', 120_000);
    await settle(fan);
    expectEachChannelOnce(fan, key);
  }, 300_000);
});
