import { describe, expect, it } from 'vitest';
import type { OutageMode } from '../fakes/chat-outage.js';
import { e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import {
  allDelivered,
  everyChannelAt,
  expectEachChannelOnce,
  type Fanout,
  type FanoutView,
  RESOLUTION,
  startFanout,
  UPDATES,
  viewOf,
  waitUntil,
} from './fanout-fixture.js';

/**
 * Issue 9, done-when 5: one incident (start, two updates, resolution) to channels on both
 * platforms while one platform's API is down for 60 seconds. Its messages wait (the worker backs
 * the platform off and probes it one send at a time) and all arrive exactly once after; the
 * other platform's messages are not held up behind it: all of them arrive before the outage ends.
 */

const CHANNELS = 20;
const OUTAGE_MS = 60_000;
/** Requests one send makes against a platform answering 500 (the SDK's own retries). */
const SDK_TRIES_ON_500 = { slack: 1, discord: 4 } as const;
/** Every message of the incident, and the edit of the start message. */
const STAGES = 2 + UPDATES.length;

type PlatformName = 'slack' | 'discord';

function completeOn(view: FanoutView, platform: PlatformName): boolean {
  return [...view[platform].values()].every(
    (v) => v.roots.length + v.replies.length >= STAGES && v.edits.length >= 1,
  );
}

/** Requests the platform took (answered 2xx / ok), whenever they came. */
function acceptedCalls(fan: Fanout, platform: PlatformName): { at: number }[] {
  if (platform === 'slack') return fan.slack.calls.filter((c) => c.ok);
  return fan.discord.calls.filter((c) => c.status >= 200 && c.status < 300 && c.method !== 'GET');
}

export const CHAT_OUTAGES = {
  slack500: { down: 'slack', mode: 'error', what: 'Slack API answering 500' },
  discord500: { down: 'discord', mode: 'error', what: 'Discord API answering 500' },
  // The client gives up on each request only after its timeout (discord.js: 15 s, 3 retries).
  discordSilent: { down: 'discord', mode: 'silent', what: 'Discord API never answering' },
} as const satisfies Record<string, { down: PlatformName; mode: OutageMode; what: string }>;

/**
 * One case per test file, so the three minute-long outages run side by side in the pool rather
 * than one after another in a single worker.
 */
export function describeChatOutage(outageCase: (typeof CHAT_OUTAGES)[keyof typeof CHAT_OUTAGES]) {
  describe(`${outageCase.what} for 60 s`, () => chatOutageCase(outageCase));
}

function chatOutageCase({ down, mode }: { down: PlatformName; mode: OutageMode }) {
  const scope = e2eScope();
  const up: PlatformName = down === 'slack' ? 'discord' : 'slack';

  it('delays its messages without losing or repeating any; the other platform is not held up', async () => {
    const fan = await startFanout(scope, { store: 'redis', channelsPerPlatform: CHANNELS });
    const { page, env } = fan;
    const outage = down === 'slack' ? fan.slack.outage : fan.discord.outage;
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started', 30_000);
    await page.waitForRequests('summary', 2, 15_000);
    const before = acceptedCalls(fan, down).length;

    outage.begin(mode, OUTAGE_MS);
    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    const key = `acme:${id}`;
    // The incident moves on as soon as the healthy platform shows each stage everywhere.
    await waitUntil(() => everyChannelAt(viewOf(fan, key), 1, [up]), `${up}: every start`, 30_000);
    for (const [i, update] of UPDATES.entries()) {
      page.setIncident({ id, ...update });
      await waitUntil(
        () => everyChannelAt(viewOf(fan, key), i + 2, [up]),
        `${up}: update ${i + 1}`,
        30_000,
      );
    }
    page.resolveIncident(id, RESOLUTION);
    await waitUntil(() => completeOn(viewOf(fan, key), up), `${up}: every resolution`, 30_000);
    // Not delayed: the healthy platform has the whole incident while the other is still down.
    expect(outage.active).toBe(mode);

    // The bot kept trying the platform that is down, with backoff: a first wave (its share of
    // the send slots) and then one probe at a time, far fewer than one try per message.
    const triedDuringOutage = outage.refused;
    expect(triedDuringOutage).toBeGreaterThan(0);
    expect(acceptedCalls(fan, down)).toHaveLength(before);

    await waitUntil(() => outage.active === undefined, 'the end of the outage', OUTAGE_MS + 5_000);
    const refusedInAll = outage.refused;
    console.log(
      `${down} ${mode} outage: ${refusedInAll} requests refused in ${OUTAGE_MS / 1000} s`,
    );
    // Answered at once with 500s, a retry per message would mean hundreds of requests. Each send
    // is repeated by the SDK itself on a 500 (discord.js retries 3 times, Slack's poster never):
    // the first wave and the probes stay well under one send per message.
    const sends = refusedInAll / SDK_TRIES_ON_500[down];
    if (mode === 'error') expect(sends).toBeLessThan((CHANNELS * STAGES) / 2);
    await waitUntil(() => allDelivered(viewOf(fan, key)), `${down}: every message`, 120_000);
    // A few more polls and worker passes: nothing may come twice after the fact.
    await page.waitForRequests('summary', page.requestCount('summary') + 3, 15_000);
    expectEachChannelOnce(fan, key);
    expect(bot.running).toBe(true);
    expect(bot.logs().filter((l) => /uncaught|unhandled/i.test(String(l.msg)))).toEqual([]);
  }, 300_000);
}
