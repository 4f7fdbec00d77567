import { pino } from 'pino';
import { expect } from 'vitest';
import type { Subscription } from '../../src/incidents/subscription.js';
import { SqliteStore } from '../../src/store/embedded/sqlite-store.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { Store } from '../../src/store/store.js';
import type {
  FakeChannel as DiscordChannel,
  FakeMessage as DiscordMessage,
  FakeDiscord,
} from '../fakes/discord/index.js';
import type { FakeSlack } from '../fakes/slack/fake-slack.js';
import type { FakeMessage as SlackMessage } from '../fakes/slack/workspace.js';
import type { StatusServer } from '../fakes/status-server.js';
import { acmeService, type E2eScope } from '../helpers/e2e-env.js';
import { discordEnv, startDiscord } from './discord-flow.js';
import { ADMIN, SIGNING_SECRET, startSlack } from './slack-flow.js';

/**
 * One Acme incident fanned out to many Slack and Discord channels at once, for the tests that
 * hurt the bot while it sends (crash storms, outages, shutdown). The channels are subscribed by
 * writing the subscriptions into the store before the bot starts: what is under test is the
 * delivery, not 600 slash commands.
 */

export const UPDATES = [
  { status: 'identified', body: 'A bad deploy was found; rolling back.' },
  { status: 'monitoring', body: 'The rollback is out; watching error rates.' },
] as const;
export const RESOLUTION = 'Error rates are back to normal.';

export interface Fanout {
  slack: FakeSlack;
  discord: FakeDiscord;
  page: StatusServer;
  env: Record<string, string>;
  slackChannels: string[];
  discordChannels: DiscordChannel[];
}

export interface FanoutOptions {
  store: 'embedded' | 'redis';
  channelsPerPlatform: number;
  /** Bot settings on top of the platforms' (and overrides). */
  extra?: Record<string, string>;
  /** Settings of the bot's Redis instead of the suite's (a Redis the test runs itself). */
  redisUrl?: string;
}

/** The fakes, the page, the subscriptions written to the store, and the bot's environment. */
export async function startFanout(scope: E2eScope, opts: FanoutOptions): Promise<Fanout> {
  const slack = await startSlack(scope);
  const discord = await startDiscord(scope);
  const page = await scope.startAcmePage();
  const slackChannels = Array.from({ length: opts.channelsPerPlatform }, (_, i) => {
    const id = `C0FAN${String(i).padStart(4, '0')}`;
    slack.workspace.addChannel(id);
    return id;
  });
  const discordChannels = Array.from({ length: opts.channelsPerPlatform }, (_, i) =>
    discord.state.addChannel({ name: `fan-${i}` }),
  );
  const env = await scope.botEnv({
    store: opts.store,
    services: [acmeService(page)],
    extra: {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      ...discordEnv(discord),
      LOG_LEVEL: 'info',
      ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
      ...opts.extra,
    },
  });
  const subs = [
    ...slackChannels.map((channelId) => subscription('slack', slack.workspace.teamId, channelId)),
    ...discordChannels.map((c) => subscription('discord', discord.guildId, c.id)),
  ];
  const store = openStore(env);
  try {
    for (const sub of subs) await store.putSubscription(sub);
  } finally {
    await store.close();
  }
  return { slack, discord, page, env, slackChannels, discordChannels };
}

const subscription = (platform: string, workspaceId: string, channelId: string): Subscription => ({
  serviceId: 'acme',
  channel: { platform, workspaceId, channelId },
  filters: { minImpact: 'none', components: [] },
  mention: 'none',
  mentionMinImpact: 'major',
  createdAt: new Date().toISOString(),
  createdBy: ADMIN,
});

/** The store the bot with `env` uses, opened from the test process. */
export function openStore(env: Record<string, string>): Store {
  const logger = pino({ level: 'silent' });
  if (env.REDIS_URL) {
    return new RedisStore({
      connection: env.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX,
      logger,
    });
  }
  return new SqliteStore({ dataDir: env.DATA_DIR as string, logger });
}

const threadKeyOf = (m: SlackMessage) =>
  (m.metadata?.event_payload as { thread_key?: string } | undefined)?.thread_key;

interface ChannelView<M, E> {
  roots: M[];
  /** The replies in the roots' threads, in posting order. */
  replies: M[];
  /** Accepted edits of a root. */
  edits: E[];
  /** Discord: the threads opened on the roots. */
  threads?: number;
}

export interface FanoutView {
  slack: Map<string, ChannelView<SlackMessage, { blocks: unknown }>>;
  discord: Map<string, ChannelView<DiscordMessage, unknown>>;
}

/**
 * What every channel shows of the incident `key`, read from the fakes in one pass (a test polls
 * this while 600 channels fill up; the fakes and the bot share the machine).
 */
export function viewOf(fan: Fanout, key: string): FanoutView {
  const slackEdits = new Map<string, { blocks: unknown }[]>();
  for (const call of fan.slack.accepted('chat.update')) {
    const at = `${String(call.args.channel)}/${String(call.args.ts)}`;
    slackEdits.set(at, [...(slackEdits.get(at) ?? []), { blocks: call.args.blocks }]);
  }
  const slack = new Map<string, ChannelView<SlackMessage, { blocks: unknown }>>();
  for (const channelId of fan.slackChannels) {
    const messages = (fan.slack.workspace.channels.get(channelId)?.messages ?? []).filter(
      (m) => threadKeyOf(m) === key,
    );
    const roots = messages.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
    const replies = messages.filter((m) => m.thread_ts !== undefined && m.thread_ts !== m.ts);
    const edits = roots.flatMap((r) => slackEdits.get(`${channelId}/${r.ts}`) ?? []);
    slack.set(channelId, { roots, replies, edits });
  }
  const discordEdits = new Map<string, number>();
  for (const call of fan.discord.callsTo('PATCH /channels/:id/messages/:id')) {
    if (call.status === 200) discordEdits.set(call.path, (discordEdits.get(call.path) ?? 0) + 1);
  }
  const threadsByParent = new Map<string, DiscordChannel[]>();
  for (const c of fan.discord.state.channels.values()) {
    if (!c.thread_metadata || !c.parent_id) continue;
    threadsByParent.set(c.parent_id, [...(threadsByParent.get(c.parent_id) ?? []), c]);
  }
  const discord = new Map<string, ChannelView<DiscordMessage, unknown>>();
  for (const channel of fan.discordChannels) {
    const roots = fan.discord.messagesIn(channel.id);
    const threads = threadsByParent.get(channel.id) ?? [];
    const replies = threads.flatMap((t) => fan.discord.messagesIn(t.id));
    const edits = roots.flatMap((r) =>
      Array.from({ length: discordEdits.get(`/channels/${channel.id}/messages/${r.id}`) ?? 0 }),
    );
    discord.set(channel.id, { roots, replies, edits, threads: threads.length });
  }
  return { slack, discord };
}

/** Messages of the incident per channel (start, updates, resolution), on both platforms. */
export function stagesSeen(view: FanoutView): number[] {
  return [...view.slack.values(), ...view.discord.values()].map(
    (v) => v.roots.length + v.replies.length,
  );
}

/** Every channel of `platforms` shows at least `stage` messages of the incident. */
export function everyChannelAt(
  view: FanoutView,
  stage: number,
  platforms: readonly ('slack' | 'discord')[] = ['slack', 'discord'],
): boolean {
  return platforms.every((p) =>
    [...view[p].values()].every((v) => v.roots.length + v.replies.length >= stage),
  );
}

/** Every channel has the start, both updates and the resolution, and the edited root. */
export function allDelivered(view: FanoutView): boolean {
  const stages = 2 + UPDATES.length;
  return [...view.slack.values(), ...view.discord.values()].every(
    (v) => v.roots.length + v.replies.length >= stages && v.edits.length >= 1,
  );
}

/**
 * Lets the bot poll a few more times and its worker make more passes after every channel is
 * complete: whatever would come twice after the fact has its chance to show.
 */
export async function settle(fan: Fanout): Promise<void> {
  await fan.page.waitForRequests('summary', fan.page.requestCount('summary') + 3, 30_000);
  await new Promise((r) => setTimeout(r, 2_000));
}

/** Polls `check` every 250 ms (each look reads 600 channels) until it holds. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Exactly once everywhere: one start message per channel, each update once in its thread, in
 * order, one resolution, one edit of the start message to its resolved form.
 */
export function expectEachChannelOnce(fan: Fanout, key: string): void {
  const view = viewOf(fan, key);
  const bodies = [...UPDATES.map((u) => u.body), RESOLUTION];
  const problems: string[] = [];
  for (const [channelId, { roots, replies, edits }] of view.slack) {
    const shown = replies.map((r) => JSON.stringify(r.blocks));
    const ok =
      roots.length === 1 &&
      replies.length === bodies.length &&
      replies.every((r) => r.thread_ts === roots[0]?.ts) &&
      bodies.every((b, i) => shown[i]?.includes(b)) &&
      edits.length === 1 &&
      /Resolved · Acme Cloud/.test(JSON.stringify(edits[0]?.blocks));
    if (!ok) {
      problems.push(
        `slack ${channelId}: ${roots.length} roots, ${replies.length} replies, ${edits.length} edits`,
      );
    }
  }
  for (const [channelId, { roots, replies, edits, threads }] of view.discord) {
    const shown = replies.map((m) => JSON.stringify(m.embeds));
    const ok =
      roots.length === 1 &&
      threads === 1 &&
      roots[0]?.thread !== undefined &&
      replies.length === bodies.length &&
      bodies.every((b, i) => shown[i]?.includes(b)) &&
      edits.length === 1 &&
      roots[0]?.embeds[0]?.color === 0x57f287;
    if (!ok) {
      problems.push(
        `discord ${channelId}: ${roots.length} roots, ${threads} threads, ${replies.length} in thread, ${edits.length} edits`,
      );
    }
  }
  expect(problems.slice(0, 20), `${problems.length} channels wrong`).toEqual([]);
}
