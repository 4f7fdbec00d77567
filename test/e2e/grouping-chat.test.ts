import { describe, expect, it } from 'vitest';
import { type FakeDiscord, type FakeMessage, PERMISSIONS } from '../fakes/discord/index.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { postSlashCommand, slashCommandFields } from '../fakes/slack/signer.js';
import type { FakeMessage as SlackMessage } from '../fakes/slack/workspace.js';
import type { StatusServer } from '../fakes/status-server.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { e2eScope } from '../helpers/e2e-env.js';
import { discordEnv, startDiscord } from './discord-flow.js';
import { ADMIN, eventsUrl, SIGNING_SECRET } from './slack-flow.js';

/**
 * Issue 11, Done-when 3 through the real bot and the chat fakes: four services start within a
 * minute; two channels follow different subsets, and each gets one grouped message listing only
 * its services, with each service's messages in that one thread, named. Recoveries go there too,
 * and the grouped message ends up saying it is over.
 */

const scope = e2eScope();
const NAMES = ['Alpha', 'Beta', 'Gamma', 'Delta'] as const;
/** The first channel follows all four; the second only the last three. */
const SUBSETS = [NAMES, NAMES.slice(1)] as const;

async function startPages(): Promise<Map<string, StatusServer>> {
  const pages = new Map<string, StatusServer>();
  for (const name of NAMES) pages.set(name, await scope.startPage(name));
  return pages;
}

const servicesOf = (pages: Map<string, StatusServer>) =>
  NAMES.map((name) => ({ id: name.toLowerCase(), name, url: pages.get(name)?.url ?? '' }));

/** Baseline, then all four incidents at once; returns their ids by service name. */
async function breakAll(pages: Map<string, StatusServer>): Promise<Map<string, string>> {
  await Promise.all(
    [...pages.values()].map((p) =>
      p.waitForRequests('summary', p.requestCount('summary') + 2, 20_000),
    ),
  );
  const ids = new Map<string, string>();
  for (const [name, page] of pages) {
    ids.set(
      name,
      page.setIncident({ name: `${name} is down`, impact: 'major', body: 'Looking into it.' }),
    );
  }
  return ids;
}

function resolveAll(pages: Map<string, StatusServer>, ids: Map<string, string>): void {
  for (const [name, page] of pages) page.resolveIncident(ids.get(name) ?? '', `${name} is fixed.`);
}

async function startBot(env: Record<string, string>): Promise<BotProcess> {
  const bot = scope.startBot(env);
  await bot.waitForLog('outage-bot started', 30_000);
  return bot;
}

describe('grouped outages on Slack', () => {
  it('gives each channel one grouped message with only its services, and their messages in its thread', async () => {
    const slack = scope.track(await FakeSlack.start({ channels: ['C0GENERAL', 'C0OPS'] }));
    slack.workspace.setUser(ADMIN, { is_admin: true });
    const pages = await startPages();
    const env = await scope.botEnv({
      services: servicesOf(pages),
      extra: {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_API_URL: slack.apiUrl,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        GROUP_WINDOW_MS: '20000',
      },
    });
    await startBot(env);
    const channels = ['C0GENERAL', 'C0OPS'] as const;
    for (const [i, channelId] of channels.entries()) {
      for (const name of SUBSETS[i] ?? []) {
        const res = await postSlashCommand({
          url: eventsUrl(env),
          signingSecret: SIGNING_SECRET,
          fields: slashCommandFields({
            text: `subscribe ${name.toLowerCase()}`,
            userId: ADMIN,
            channelId,
            responseUrl: slack.responseUrl(),
          }),
        });
        expect(res.status).toBe(200);
      }
    }
    const ids = await breakAll(pages);

    const messages = (channelId: string) => slack.workspace.channels.get(channelId)?.messages ?? [];
    const roots = (channelId: string) =>
      messages(channelId).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
    const replies = (channelId: string, root: SlackMessage | undefined) =>
      messages(channelId).filter((m) => root && m.thread_ts === root.ts && m !== root);
    const reads = (m: SlackMessage | undefined) => JSON.stringify(m?.blocks ?? []);

    for (const [i, channelId] of channels.entries()) {
      const subset = SUBSETS[i] ?? [];
      await slack.waitFor(
        () =>
          reads(roots(channelId)[0]).includes(`${subset.length} services down at once`) &&
          replies(channelId, roots(channelId)[0]).length === subset.length - 1,
        `the group in ${channelId}`,
        30_000,
      );
      expect(roots(channelId)).toHaveLength(1);
      const root = roots(channelId)[0];
      // A group's root speaks for several services: no per-service buttons on it.
      expect(reads(root)).not.toContain('"type":"actions"');
      for (const name of NAMES) {
        expect(reads(root).includes(`*${name}* — `), `${name} listed in ${channelId}`).toBe(
          subset.includes(name),
        );
      }
      // Each service but the root's own has its start as a reply, led by its name.
      const starts = replies(channelId, root).map(
        (m) => reads(m).match(/\*(\w+)\* · \*Started\*/)?.[1],
      );
      expect(starts.filter(Boolean)).toHaveLength(subset.length - 1);
      expect(new Set([...starts, rootService(root)])).toEqual(new Set(subset));
    }

    resolveAll(pages, ids);
    for (const [i, channelId] of channels.entries()) {
      const subset = SUBSETS[i] ?? [];
      const root = roots(channelId)[0];
      await slack.waitFor(
        () =>
          reads(roots(channelId)[0]).includes(`Over: ${subset.length} services were down at once`),
        `the group over in ${channelId}`,
        30_000,
      );
      const resolutions = replies(channelId, root).filter((m) => reads(m).includes('*Resolved*'));
      expect(
        resolutions
          .map(
            (m) =>
              reads(m).match(
                /^\[\{"type":"section","text":\{"type":"mrkdwn","text":"\*(\w+)\* · /,
              )?.[1],
          )
          .sort(),
      ).toEqual([...subset].sort());
      expect(roots(channelId)).toHaveLength(1);
    }
    expect(slack.limiter.hits).toBe(0);
  }, 150_000);
});

/** The service whose start message became the group's root (its metadata's thread key). */
function rootService(root: SlackMessage | undefined): string | undefined {
  const key = String((root?.metadata?.event_payload as { thread_key?: string })?.thread_key ?? '');
  const id = key.split(':')[0] ?? '';
  return NAMES.find((n) => n.toLowerCase() === id);
}

describe('grouped outages on Discord', () => {
  it('gives each channel one grouped message with only its services, and their messages in its thread', async () => {
    const discord = await startDiscord(scope);
    const pages = await startPages();
    const env = await scope.botEnv({
      store: 'redis',
      services: servicesOf(pages),
      extra: { ...discordEnv(discord), GROUP_WINDOW_MS: '20000' },
    });
    await startBot(env);
    const channels = [discord.channels.incidents, discord.channels.general] as const;
    for (const [i, channel] of channels.entries()) {
      for (const name of SUBSETS[i] ?? []) {
        await discord.interact({
          subcommand: 'subscribe',
          options: { service: name.toLowerCase() },
          channel,
          permissions: PERMISSIONS.manageChannels,
        });
      }
    }
    const ids = await breakAll(pages);
    const title = (m: FakeMessage | undefined) => String(m?.embeds[0]?.title ?? '');
    const rootIn = (discordChannel: (typeof channels)[number]) =>
      discord.messagesIn(discordChannel.id);
    const threadOf = (d: FakeDiscord, m: FakeMessage | undefined) =>
      m?.thread ? d.messagesIn(m.thread.id) : [];

    for (const [i, channel] of channels.entries()) {
      const subset = SUBSETS[i] ?? [];
      await discord.waitFor(
        () =>
          title(rootIn(channel)[0]) === `${subset.length} services down at once` &&
          threadOf(discord, rootIn(channel)[0]).length === subset.length - 1,
        { timeoutMs: 30_000, what: `the group in #${channel.name}` },
      );
      expect(rootIn(channel)).toHaveLength(1);
      const root = rootIn(channel)[0];
      // A group's root speaks for several services: the first start's buttons are gone.
      expect(root?.components).toEqual([]);
      const listed = String(root?.embeds[0]?.description ?? '');
      for (const name of NAMES)
        expect(listed.includes(`**${name}** — `), name).toBe(subset.includes(name));
      const starts = threadOf(discord, root).map(
        (m) => title(m).match(/^(\w+) · Started: \1 is down$/)?.[1],
      );
      expect(starts.filter(Boolean)).toHaveLength(subset.length - 1);
      // Replies in the group's thread ping nobody.
      expect(
        threadOf(discord, root).every((m) => m.mentions.length === 0 && !m.mention_everyone),
      ).toBe(true);
    }

    resolveAll(pages, ids);
    for (const [i, channel] of channels.entries()) {
      const subset = SUBSETS[i] ?? [];
      await discord.waitFor(
        () =>
          title(rootIn(channel)[0]).startsWith(`Over: ${subset.length} services were down at once`),
        {
          timeoutMs: 30_000,
          what: `the group over in #${channel.name}`,
        },
      );
      const resolved = threadOf(discord, rootIn(channel)[0])
        .map((m) => title(m).match(/^(\w+) · Resolved$/)?.[1])
        .filter(Boolean);
      expect(resolved.sort()).toEqual([...subset].sort());
      expect(rootIn(channel)).toHaveLength(1);
    }
  }, 150_000);
});
