import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ChannelRef } from '../../src/incidents/subscription.js';
import type { StatusServer } from '../../test/fakes/status-server.js';
import { type RunningBot, startBot, waitFor } from '../support/bot.js';
import { type Figure, figure, percentile } from '../support/figure.js';
import { type Scenario, scaled } from '../support/scenario.js';

/**
 * From the poll that observes a change (the status page's first summary request after it) to
 * the fake platform accepting the message about it. One channel: services followed by one
 * channel each, Slack and Discord, each sampled twice (its incident's start, then an update), one
 * sample at a time. 1,000 channels: one service followed by 1,000 Slack channels; when the first
 * channel was reached, and the spread over all of them.
 */
export const latencyScenario: Scenario = {
  name: 'latency',
  about: 'poll-to-platform latency with 1 and with 1,000 subscribed channels',
  async run(ctx) {
    const single = scaled(ctx, 50, 5);
    const wide = scaled(ctx, 1_000, 20);
    const bot = await startBot({
      services: [
        ...Array.from({ length: single }, (_, i) => ({
          id: `one-slack-${i}`,
          slack: 1,
          discord: 0,
        })),
        ...Array.from({ length: single }, (_, i) => ({
          id: `one-discord-${i}`,
          slack: 0,
          discord: 1,
        })),
        { id: 'wide', slack: wide, discord: 0 },
      ],
      discordGlobalPerSecond: 50,
      keepLogs: true,
    });
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    try {
      const samples = { slack: [] as number[], discord: [] as number[] };
      for (const step of ['start', 'update'] as const) {
        for (const platform of ['slack', 'discord'] as const) {
          for (let i = 0; i < single; i++) {
            samples[platform].push(await oneChange(bot, `one-${platform}-${i}`, step));
          }
        }
      }
      const spread = await wideChange(bot, 'wide');
      lag.disable();
      const lagMs = (ns: number) => Math.round(ns / 1e6);
      ctx.log(
        `latency: event loop delay p50 ${lagMs(lag.percentile(50))} p99 ${lagMs(lag.percentile(99))} max ${lagMs(lag.max)} ms`,
      );
      for (const slow of [...traces].sort((a, b) => b.ms - a.ms).slice(0, 3)) {
        ctx.log(`latency: a slow Discord sample, ${slow.ms} ms: ${slow.trace}`);
      }
      ctx.log(
        `latency: 1 channel Slack p50 ${percentile(samples.slack, 50)} p99 ${percentile(samples.slack, 99)}; Discord p50 ${percentile(samples.discord, 50)} p99 ${percentile(samples.discord, 99)}; ${wide} channels first ${spread[0]} p50 ${percentile(spread, 50)} p99 ${percentile(spread, 99)} ms`,
      );
      const figures: Figure[] = [];
      for (const platform of ['slack', 'discord'] as const) {
        const all = samples[platform];
        figures.push(
          figure(`latency, 1 channel (${platform}): p50`, percentile(all, 50), 'ms'),
          figure(`latency, 1 channel (${platform}): p99`, percentile(all, 99), 'ms', {
            atMost: 50,
          }),
        );
      }
      figures.push(
        figure(
          `latency, ${wide} Slack channels: first channel reached`,
          spread[0] ?? Number.NaN,
          'ms',
          { atMost: 100 },
        ),
        figure(`latency, ${wide} Slack channels: p50`, percentile(spread, 50), 'ms'),
        figure(`latency, ${wide} Slack channels: p99`, percentile(spread, 99), 'ms'),
      );
      return figures;
    } finally {
      await bot.stop();
    }
  },
};

const incidents = new Map<string, string>();

/** Changes the page (opens the incident, or posts an update to it) at the time of the call. */
function change(page: StatusServer, serviceId: string, step: 'start' | 'update'): void {
  const id = incidents.get(serviceId);
  if (step === 'start' || !id) {
    incidents.set(
      serviceId,
      page.setIncident({
        name: 'Errors',
        impact: 'major',
        body: 'Investigating.',
        components: ['API'],
      }),
    );
  } else {
    page.setIncident({ id, status: 'identified', body: 'Cause identified.' });
  }
}

/** When the poll after `since` asked for the summary: the poll that saw the change. */
function observedAt(page: StatusServer, since: number): number {
  const request = page.requests.find((r) => r.endpoint === 'summary' && r.at.getTime() >= since);
  if (!request) throw new Error('latency: the change was never polled');
  return request.at.getTime();
}

async function oneChange(
  bot: RunningBot,
  serviceId: string,
  step: 'start' | 'update',
): Promise<number> {
  const page = bot.pages.get(serviceId);
  const channel = bot.channels.get(serviceId)?.[0];
  if (!page || !channel) throw new Error(`latency: no ${serviceId}`);
  const before = accepted(bot, channel).length;
  const since = Date.now();
  change(page, serviceId, step);
  await bot.trigger(serviceId);
  await waitFor(() => accepted(bot, channel).length > before, 10_000);
  const at = accepted(bot, channel)[before] as number;
  const observed = observedAt(page, since);
  if (channel.platform === 'discord')
    traces.push({ ms: at - observed, trace: trace(bot, observed, at, channel.channelId) });
  return at - observed;
}

/** Discord samples with what the bot asked Discord for in between: where a slow one waited. */
const traces: { ms: number; trace: string }[] = [];

/** The bot's log lines and Discord's calls between the poll and the message, in time order. */
function trace(bot: RunningBot, from: number, to: number, channelId: string): string {
  const calls = bot.discord.calls
    .filter((c) => c.at >= from && c.at <= to)
    .map((c) => ({ at: c.at, what: `${c.route} ${c.status}` }));
  const lines = bot.logs
    .filter((l) => l.time >= from && l.time <= to && (!l.channel || l.channel === channelId))
    .filter((l) => !String(l.poll ?? '').startsWith('wide'))
    .map((l) => ({ at: l.time, what: `log "${l.msg}"` }));
  return [...calls, ...lines]
    .sort((a, b) => a.at - b.at)
    .map((e) => `+${e.at - from} ${e.what}`)
    .join(', ');
}

async function wideChange(bot: RunningBot, serviceId: string): Promise<number[]> {
  const page = bot.pages.get(serviceId);
  const channels = bot.channels.get(serviceId) ?? [];
  if (!page) throw new Error('latency: no wide page');
  const since = Date.now();
  change(page, serviceId, 'start');
  await bot.trigger(serviceId);
  await waitFor(() => channels.every((c) => accepted(bot, c).length > 0), 120_000);
  const observed = observedAt(page, since);
  return channels.map((c) => (accepted(bot, c)[0] as number) - observed).sort((a, b) => a - b);
}

/** When the platform accepted each message the bot created in `channel` (its thread included). */
function accepted(bot: RunningBot, channel: ChannelRef): number[] {
  if (channel.platform === 'slack') {
    return bot.slack.calls
      .filter(
        (c) => c.ok && c.method === 'chat.postMessage' && c.args.channel === channel.channelId,
      )
      .map((c) => c.at);
  }
  const threads = new Set([
    channel.channelId,
    ...bot.discord.threadsOf(channel.channelId).map((t) => t.id),
  ]);
  return bot.discord.calls
    .filter(
      (c) => c.status >= 200 && c.status < 300 && c.method === 'POST' && /\/messages$/.test(c.path),
    )
    .filter((c) => threads.has(c.path.split('/')[2] ?? ''))
    .map((c) => c.at);
}
