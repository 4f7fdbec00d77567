import type { RecordedCall } from '../../test/fakes/discord/index.js';
import type { FakeSlack } from '../../test/fakes/slack/fake-slack.js';
import { type RunningBot, startBot, waitFor } from '../support/bot.js';
import { type Figure, figure } from '../support/figure.js';
import { type Scenario, scaled } from '../support/scenario.js';

const DISCORD_GLOBAL_PER_S = 50;
/** Discord requests one channel's thread takes: start, thread, two updates, resolution, root edit. */
const DISCORD_REQUESTS_PER_CHANNEL = 6;
/** Slack chat.postMessage calls per channel: start, two updates, resolution (plus one update). */
const SLACK_POSTS_PER_CHANNEL = 4;

/**
 * One incident (start, two updates, resolution) to 2,000 Slack and 2,000 Discord channels, each
 * step found by a poll right after the previous one committed, as in a fast-moving mass outage.
 * The fastest time is what the fakes' limits allow for the requests the bot must make: Discord's
 * 50 requests/s per bot over six requests a channel, Slack's one message per second per channel
 * with its burst. Lost and duplicated messages are counted in the fakes' channels.
 */
export const fanoutScenario: Scenario = {
  name: 'fanout',
  about: 'one incident to 2,000 Slack + 2,000 Discord channels at the platforms’ limits',
  async run(ctx) {
    const perPlatform = scaled(ctx, 2_000, 10);
    const bot = await startBot({
      services: [{ id: 'mass', slack: perPlatform, discord: perPlatform }],
      discordGlobalPerSecond: DISCORD_GLOBAL_PER_S,
    });
    try {
      return await fanOut(bot, perPlatform, ctx.log);
    } finally {
      await bot.stop();
    }
  },
};

async function fanOut(bot: RunningBot, n: number, log: (line: string) => void): Promise<Figure[]> {
  const page = bot.pages.get('mass');
  if (!page) throw new Error('no page');
  const { slack, discord } = bot;
  const seen = (k: number) => (state: { subjects: Record<string, { seenUpdateIds: string[] }> }) =>
    Object.values(state.subjects).some((s) => s.seenUpdateIds.length >= k);
  const slackCalls0 = slack.calls.length;
  const discordCalls0 = discord.calls.length;
  const t0 = Date.now();
  const id = page.setIncident({
    name: 'Elevated errors',
    impact: 'major',
    body: 'Investigating.',
    components: ['API'],
  });
  await bot.pollAndCommit('mass', seen(1));
  page.setIncident({ id, status: 'identified', body: 'Cause identified.' });
  await bot.pollAndCommit('mass', seen(2));
  page.setIncident({ id, status: 'monitoring', body: 'Fix deployed, monitoring.' });
  await bot.pollAndCommit('mass', seen(3));
  page.resolveIncident(id, 'Resolved.');
  await bot.pollAndCommit('mass', (s) =>
    Object.values(s.subjects).some((x) => x.closedAt !== undefined),
  );
  log(`fanout: all four polls committed after ${Date.now() - t0} ms`);

  const fastestDiscord = (n * DISCORD_REQUESTS_PER_CHANNEL) / DISCORD_GLOBAL_PER_S;
  const { perSecond, burst } = slack.limiter.limit ?? { perSecond: Infinity, burst: Infinity };
  const fastestSlack = Math.max(0, (SLACK_POSTS_PER_CHANNEL - burst) / perSecond);
  const fastest = Math.max(fastestDiscord, fastestSlack);
  const fastestStarts = Math.max(n / DISCORD_GLOBAL_PER_S, Math.max(0, (1 - burst) / perSecond));

  const tally = () => ({ slack: tallySlack(bot, slack), discord: tallyDiscord(bot) });
  const complete = () => {
    const t = tally();
    return t.slack.complete + t.discord.complete === 2 * n;
  };
  const progress = setInterval(() => {
    const t = tally();
    log(
      `fanout: ${((Date.now() - t0) / 1000).toFixed(0)} s, complete: Slack ${t.slack.complete}/${n}, Discord ${t.discord.complete}/${n}`,
    );
  }, 15_000);
  try {
    await waitFor(complete, fastest * 3_000 + 60_000).catch(() => undefined);
    // Anything still in flight (a duplicate on its way) lands within a moment.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  } finally {
    clearInterval(progress);
  }
  const t = tally();
  const slackCalls = slack.calls.slice(slackCalls0).filter((c) => c.ok);
  const discordCalls = discord.calls
    .slice(discordCalls0)
    .filter((c) => c.status >= 200 && c.status < 300);
  const lastAt = Math.max(...slackCalls.map((c) => c.at), ...discordCalls.map((c) => c.at));
  const secs = (at: number) => (at - t0) / 1000;
  const slackStarts = slackCalls.filter(
    (c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined,
  );
  const discordStarts = discordCalls.filter(
    (c) => isChannelPost(c) && bot.discord.state.channels.get(channelOf(c))?.parent_id === null,
  );
  const lastSlackStart = Math.max(...slackStarts.map((c) => c.at));
  const lastDiscordStart = Math.max(...discordStarts.map((c) => c.at));
  const lastStart = Math.max(lastSlackStart, lastDiscordStart);
  // Every request counts against the global limit, refused ones too: on a loaded machine the
  // time stretches, but how many requests the last start had to wait behind does not.
  const requestsToLastStart = discord.calls
    .slice(discordCalls0)
    .filter((c) => c.at <= lastDiscordStart).length;
  const total = secs(lastAt);
  log(
    `fanout: everything ${total.toFixed(1)} s (fastest ${fastest} s); last start Slack ${secs(lastSlackStart).toFixed(1)} s, Discord ${secs(lastDiscordStart).toFixed(1)} s (fastest ${fastestStarts} s); Discord requests ${discordCalls.length} (429s: ${discord.calls.slice(discordCalls0).filter((c) => c.status === 429).length}); Slack 429s ${slack.limiter.hits}`,
  );
  return [
    figure(`fan-out to ${n} Slack + ${n} Discord channels: everything delivered after`, total, 's'),
    figure(
      'fan-out: fastest the limits allow (Discord 50 req/s x 6 requests a channel)',
      fastest,
      's',
    ),
    figure('fan-out: time / fastest the limits allow', total / fastest, 'ratio', { atMost: 1.1 }),
    figure('fan-out: messages lost', t.slack.lost + t.discord.lost, 'messages', { exactly: 0 }),
    figure('fan-out: messages duplicated', t.slack.duplicated + t.discord.duplicated, 'messages', {
      exactly: 0,
    }),
    figure('fan-out: last start message after', secs(lastStart), 's'),
    figure(
      'fan-out: last start / fastest for the starts alone',
      secs(lastStart) / fastestStarts,
      'ratio',
      { atMost: 1.1 },
    ),
    figure(
      'fan-out: Discord requests up to the last start, per start (1 = each start one request)',
      requestsToLastStart / n,
      'ratio',
      { atMost: 1.1 },
    ),
    figure('fan-out: Slack last start message after', secs(lastSlackStart), 's'),
    figure(
      'fan-out: second updates posted before the last start (per platform)',
      secondUpdatesBefore(slackReplies(slackCalls), lastSlackStart) +
        secondUpdatesBefore(discordReplies(bot, discordCalls), lastDiscordStart),
      'messages',
      { exactly: 0 },
    ),
  ];
}

const DISCORD_POST = /^\/channels\/(\d+)\/messages$/;
const isChannelPost = (c: RecordedCall) => c.method === 'POST' && DISCORD_POST.test(c.path);
const channelOf = (c: RecordedCall) => DISCORD_POST.exec(c.path)?.[1] ?? '';

/** Reply times per channel, in order: [update 1, update 2, resolution]. */
function slackReplies(calls: FakeSlack['calls']): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const c of calls) {
    if (c.method !== 'chat.postMessage' || c.args.thread_ts === undefined) continue;
    const key = String(c.args.channel);
    out.set(key, [...(out.get(key) ?? []), c.at]);
  }
  return out;
}

function discordReplies(bot: RunningBot, calls: RecordedCall[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const c of calls) {
    if (!isChannelPost(c)) continue;
    const parent = bot.discord.state.channels.get(channelOf(c))?.parent_id;
    if (!parent) continue;
    out.set(parent, [...(out.get(parent) ?? []), c.at]);
  }
  return out;
}

function secondUpdatesBefore(replies: Map<string, number[]>, lastStart: number): number {
  let early = 0;
  for (const times of replies.values()) if ((times[1] ?? Infinity) < lastStart) early += 1;
  return early;
}

interface Tally {
  complete: number;
  lost: number;
  duplicated: number;
}

/** Expected per channel: one start (edited when resolved) and three replies in its thread. */
function tallySlack(bot: RunningBot, slack: FakeSlack): Tally {
  const tally: Tally = { complete: 0, lost: 0, duplicated: 0 };
  for (const ref of bot.channels.get('mass') ?? []) {
    if (ref.platform !== 'slack') continue;
    const messages = slack.workspace.channels.get(ref.channelId)?.messages ?? [];
    const roots = messages.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
    const replies = messages.length - roots.length;
    count(
      tally,
      roots.length,
      replies,
      roots.some((r) => r.edited !== undefined),
    );
  }
  return tally;
}

function tallyDiscord(bot: RunningBot): Tally {
  const tally: Tally = { complete: 0, lost: 0, duplicated: 0 };
  const { discord } = bot;
  for (const ref of bot.channels.get('mass') ?? []) {
    if (ref.platform !== 'discord') continue;
    const roots = discord.messagesIn(ref.channelId);
    const threads = discord.threadsOf(ref.channelId);
    const replies = threads.reduce((sum, t) => sum + discord.messagesIn(t.id).length, 0);
    count(
      tally,
      roots.length,
      replies,
      roots.some((r) => r.edited_timestamp !== null),
    );
  }
  return tally;
}

function count(tally: Tally, roots: number, replies: number, edited: boolean): void {
  tally.lost += Math.max(0, 1 - roots) + Math.max(0, 3 - replies);
  tally.duplicated += Math.max(0, roots - 1) + Math.max(0, replies - 3);
  if (roots === 1 && replies === 3 && edited) tally.complete += 1;
}
