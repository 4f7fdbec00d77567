import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { PLATFORMS, platformConfig } from '../../adapters/registry.js';
import { type App, startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { ServiceState } from '../../src/incidents/state.js';
import type { ChannelRef } from '../../src/incidents/subscription.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { type FakeDiscord, startFakeDiscord } from '../../test/fakes/discord/index.js';
import { FakeSlack } from '../../test/fakes/slack/fake-slack.js';
import { type StatusServer, startStatusServer } from '../../test/fakes/status-server.js';
import { BENCH_REDIS_URL, deleteKeys } from './stores.js';

export interface BotSetup {
  /** Services, each on a fake Statuspage of its own, and who follows it. */
  services: { id: string; slack: number; discord: number }[];
  /** Discord's per-bot global limit on the fake (Discord: 50/s). */
  discordGlobalPerSecond?: number;
  /** Keep the bot's info log lines (RunningBot.logs), to trace where a slow message waited. */
  keepLogs?: boolean;
}

/** One line of the bot's log, as pino wrote it (time in ms since the epoch). */
export type LogLine = { time: number; msg: string } & Record<string, unknown>;

export interface RunningBot {
  slack: FakeSlack;
  discord: FakeDiscord;
  pages: Map<string, StatusServer>;
  /** Channels following each service, by service id. */
  channels: Map<string, ChannelRef[]>;
  /** The bot's log lines, with keepLogs; otherwise none. */
  logs: LogLine[];
  /** Asks the bot to poll `serviceId` now, through its webhook route. */
  trigger(serviceId: string): Promise<void>;
  /** Asks the bot to poll `serviceId` now (its webhook) and waits until that poll committed. */
  pollAndCommit(serviceId: string, committed: (state: ServiceState) => boolean): Promise<void>;
  stop(): Promise<void>;
}

const WEBHOOK_TOKEN = 'bench-webhook-token';
const SLACK_TEAM = 'T0BENCH';

/**
 * The real bot in this process (src/app.ts with the platform registry), on the Redis store,
 * against the fake Slack (its per-channel limit) and the fake Discord (its route buckets and,
 * when asked, the global limit), with every subscription written to the store beforehand. The
 * cron never fires during a run: polls come from the bot's own webhook route, as a status page's
 * push would bring them, so each step of a scenario starts when the scenario says.
 */
export async function startBot(setup: BotSetup): Promise<RunningBot> {
  const slackIds = setup.services.flatMap((s) =>
    Array.from({ length: s.slack }, (_, i) => `C${s.id.toUpperCase()}${i}`),
  );
  const slack = await FakeSlack.start({ teamId: SLACK_TEAM, channels: slackIds });
  const discord = await startFakeDiscord({
    token: 'fake.discord.bench.token.0001',
    ...(setup.discordGlobalPerSecond ? { globalPerSecond: setup.discordGlobalPerSecond } : {}),
  });
  const pages = new Map<string, StatusServer>();
  const channels = new Map<string, ChannelRef[]>();
  for (const service of setup.services) {
    const page = await startStatusServer({ name: service.id });
    page.setComponent('API', 'operational');
    pages.set(service.id, page);
    const refs: ChannelRef[] = [];
    for (let i = 0; i < service.slack; i++) {
      refs.push({
        platform: 'slack',
        workspaceId: SLACK_TEAM,
        channelId: `C${service.id.toUpperCase()}${i}`,
      });
    }
    for (let i = 0; i < service.discord; i++) {
      const channel = discord.state.addChannel({ name: `${service.id}-${i}` });
      refs.push({ platform: 'discord', workspaceId: discord.guildId, channelId: channel.id });
    }
    channels.set(service.id, refs);
  }

  const keyPrefix = `bench:${randomUUID()}:`;
  const logs: LogLine[] = [];
  const sink = { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) };
  const logger = setup.keepLogs ? pino({ level: 'info' }, sink) : pino({ level: 'silent' });
  const store = new RedisStore({ connection: BENCH_REDIS_URL, keyPrefix, logger });
  const createdAt = new Date().toISOString();
  for (const [serviceId, refs] of channels) {
    for (let i = 0; i < refs.length; i += 200) {
      await Promise.all(
        refs.slice(i, i + 200).map((channel) =>
          store.putSubscription({
            serviceId,
            channel,
            filters: { minImpact: 'none', components: [] },
            mention: 'none',
            mentionMinImpact: 'critical',
            createdAt,
            createdBy: 'bench',
          }),
        ),
      );
    }
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-bench-bot-'));
  const servicesFile = join(dataDir, 'services.json');
  await writeFile(
    servicesFile,
    JSON.stringify(
      setup.services.map((s) => ({
        id: s.id,
        name: `Bench ${s.id}`,
        sources: [{ kind: 'statuspage', url: pages.get(s.id)?.url }],
      })),
    ),
  );
  const config = loadConfig(
    {
      REDIS_URL: BENCH_REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
      DATA_DIR: dataDir,
      SERVICES_FILE: servicesFile,
      POLL_SCHEDULE: '0 0 1 1 *',
      POLL_JITTER_MS: '0',
      PORT: '0',
      WEBHOOK_TOKEN,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      LOG_LEVEL: setup.keepLogs ? 'info' : 'silent',
    },
    platformConfig(PLATFORMS),
  );
  const { readFile } = await import('node:fs/promises');
  const app: App = await startApp({
    config,
    platforms: PLATFORMS,
    logger,
    fetch: globalThis.fetch,
    now: () => new Date(),
    readFile: (path) => readFile(path, 'utf8'),
    writeOut: () => {},
    instanceId: 'bench',
  });
  const address = app.server?.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  // Start-up polls every subscribed service once: wait for those baselines.
  for (const service of setup.services) {
    await waitFor(async () => (await store.getState(service.id))?.baselined === true, 30_000);
  }

  const trigger = async (serviceId: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/${serviceId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` },
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`webhook for ${serviceId}: HTTP ${res.status}`);
  };
  return {
    slack,
    discord,
    pages,
    channels,
    logs,
    trigger,
    async pollAndCommit(serviceId, committed) {
      for (;;) {
        await trigger(serviceId);
        // A push while a poll runs is skipped by the scheduler: push again until it lands.
        const landed = await waitFor(async () => {
          const state = await store.getState(serviceId);
          return state !== undefined && committed(state);
        }, 2_000).then(
          () => true,
          () => false,
        );
        if (landed) return;
      }
    },
    async stop() {
      await app.stop();
      await store.close();
      await slack.close();
      await discord.close();
      for (const page of pages.values()) await page.close();
      await deleteKeys(keyPrefix);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
