import { describe, expect, it } from 'vitest';
import { e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import { discordEnv, startDiscord, subscribeAcme } from './discord-flow.js';
import { CHANNEL, postAdminCommand, startSlackFlow, threadCalls } from './slack-flow.js';

/**
 * Issue 4, done-when 6: one bot process on both platforms. A Slack channel and a Discord channel
 * subscribe to the same service; one incident gives each its own thread (its own root, its own
 * replies, its own edit), and neither platform sees the other's messages.
 */

const scope = e2eScope();

describe('Slack and Discord together, end to end', () => {
  it('gives each platform its own thread from one event', async () => {
    const discord = await startDiscord(scope);
    const { slack, page, env, bot } = await startSlackFlow(scope, 'http', discordEnv(discord));
    await bot.waitForLog('outage-bot started', 30_000);
    expect(bot.logs().find((l) => String(l.msg).startsWith('adapters:'))?.adapters).toEqual([
      'slack',
      'discord',
    ]);

    const res = await postAdminCommand(slack, env, 'subscribe acme');
    expect(res.status).toBe(200);
    const channel = discord.channels.incidents;
    await subscribeAcme(discord, channel);

    await page.waitForRequests('summary', page.requestCount('summary') + 2, 15_000);
    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    const key = `acme:${id}`;
    await slack.waitFor(() => threadCalls(slack, key).roots.length === 1, 'the Slack root', 20_000);
    const root = await discord.waitFor(() => discord.messagesIn(channel.id)[0], {
      timeoutMs: 20_000,
      what: 'the Discord root',
    });
    // The thread opens with the first reply, and a thread opened on a message has its id.
    const threadId = root.id;

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
