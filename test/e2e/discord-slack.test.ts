import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, PERMISSIONS, startFakeDiscord } from '../fakes/discord/index.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { postSlashCommand, slashCommandFields } from '../fakes/slack/signer.js';
import { startStatusServer } from '../fakes/status-server.js';
import {
  ADMIN,
  botEnv,
  CHANNEL,
  type Cleanup,
  SIGNING_SECRET,
  startBot,
  threadCalls,
} from './slack-flow.js';

/**
 * Issue 4, done-when 6: one bot process on both platforms. A Slack channel and a Discord channel
 * subscribe to the same service; one incident gives each its own thread (its own root, its own
 * replies, its own edit), and neither platform sees the other's messages.
 */

const TOKEN = 'fake.discord.token.for-e2e-tests';
const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('Slack and Discord together, end to end', () => {
  it('gives each platform its own thread from one event', async () => {
    const slack = await FakeSlack.start();
    cleanups.push(() => slack.close());
    slack.workspace.setUser(ADMIN, { is_admin: true });
    const discord: FakeDiscord = await startFakeDiscord({ token: TOKEN });
    cleanups.push(() => discord.close());
    const page = await startStatusServer({ name: 'Acme' });
    cleanups.push(() => page.close());
    page.setComponent('API', 'operational');

    const env: Record<string, string> = {
      ...(await botEnv(slack, page, 'http', cleanups)),
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guildId,
    };
    const bot = startBot(env, cleanups);
    await bot.waitForLog('outage-bot started', 30_000);
    expect(bot.logs().find((l) => String(l.msg).startsWith('adapters:'))?.adapters).toEqual([
      'slack',
      'discord',
    ]);

    const res = await postSlashCommand({
      url: `http://127.0.0.1:${env.PORT}/slack/events`,
      signingSecret: SIGNING_SECRET,
      fields: slashCommandFields({
        text: 'subscribe acme',
        userId: ADMIN,
        responseUrl: slack.responseUrl(),
      }),
    });
    expect(res.status).toBe(200);
    const channel = discord.channels.incidents;
    await discord.interact({
      subcommand: 'subscribe',
      options: { service: 'acme' },
      channel,
      permissions: PERMISSIONS.manageChannels,
    });

    await page.waitForRequests('summary', page.requestCount('summary') + 2, 15_000);
    const id = page.setIncident({
      name: 'Elevated API errors',
      impact: 'major',
      body: 'We are investigating.',
      components: ['API'],
      componentStatus: 'partial_outage',
    });
    const key = `acme:${id}`;
    await slack.waitFor(() => threadCalls(slack, key).roots.length === 1, 'the Slack root', 20_000);
    const root = await discord.waitFor(
      () => discord.messagesIn(channel.id)[0]?.thread && discord.messagesIn(channel.id)[0],
      {
        timeoutMs: 20_000,
        what: 'the Discord root and thread',
      },
    );
    const threadId = root.thread?.id as string;

    page.setIncident({ id, status: 'identified', body: 'A bad deploy; rolling back.' });
    page.resolveIncident(id, 'Error rates are back to normal.');
    await slack.waitFor(
      () => slack.accepted('chat.update').length === 1,
      'the Slack root edit',
      20_000,
    );
    await discord.waitFor(() => discord.callsTo('PATCH /channels/:id/messages/:id').length === 1, {
      timeoutMs: 20_000,
      what: 'the Discord root edit',
    });
    await page.waitForRequests('summary', page.requestCount('summary') + 3, 15_000);

    // Slack: one root and two replies in its own thread, one edit.
    const { roots, replies } = threadCalls(slack, key);
    expect(roots).toHaveLength(1);
    expect(roots[0]?.args.channel).toBe(CHANNEL);
    expect(replies).toHaveLength(2);
    expect(slack.accepted('chat.update')).toHaveLength(1);
    // Discord: one root, one thread with the same two steps, one edit.
    expect(discord.messagesIn(channel.id)).toHaveLength(1);
    expect(discord.threadsOf(channel.id)).toHaveLength(1);
    expect(discord.messagesIn(threadId).map((m) => m.embeds[0]?.title)).toEqual([
      'Identified',
      'Resolved',
    ]);
    expect(discord.callsTo('PATCH /channels/:id/messages/:id')).toHaveLength(1);
  }, 120_000);
});
