import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/index.js';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import {
  discordEnv,
  replyOf,
  startDiscord,
  subscribeAcme,
  waitForRootEdit,
} from './discord-flow.js';

/**
 * Issue 4, done-when 1: the real bot process, with discord.js against the fake Discord and a fake
 * status page. It logs in, registers /outage, answers `/outage subscribe acme`, and an incident
 * then yields one start message, one thread, each update once in it, one resolution and one edit
 * of the start message, with a SIGKILL and restart in the middle.
 */

const scope = e2eScope();

const titles = (messages: FakeMessage[]) => messages.map((m) => m.embeds[0]?.title);

describe.each(['embedded', 'redis'] as const)('discord end to end (%s store)', (store) => {
  it('subscribes by slash command and posts one thread per incident across a SIGKILL', async () => {
    const discord = await startDiscord(scope);
    const page = await scope.startPage('Acme');
    const env = await scope.botEnv({
      store,
      services: [acmeService(page)],
      // Info logs and the default poll timeout: what this flow has always run with.
      extra: { ...discordEnv(discord), POLL_TIMEOUT_MS: '10000', LOG_LEVEL: 'info' },
    });
    const channel = discord.channels.incidents;
    const startBot = async () => {
      const bot = scope.startBot(env);
      await bot.waitForLog('outage-bot started', 30_000);
      return bot;
    };

    let bot = await startBot();
    expect(discord.gateway.lastIntents).toBe(1); // Guilds only: no privileged intents
    expect(discord.callsTo('PUT /applications/:id/guilds/:id/commands')).toHaveLength(1);

    const answer = await subscribeAcme(discord, channel);
    const reply = replyOf(answer);
    expect(JSON.stringify(reply)).toContain('Acme Cloud');
    expect((reply as { flags?: number } | undefined)?.flags ?? 0).toBe(0);

    // Let the bot record its baseline of the page before anything happens on it.
    await page.waitForRequests('summary', page.requestCount('summary') + 2, 10_000);
    const id = openApiIncident(page, 'API errors', 'We are looking into elevated API errors.');
    const root = await discord.waitFor(() => discord.messagesIn(channel.id)[0], {
      timeoutMs: 15_000,
      what: 'the start message',
    });
    expect(root.embeds[0]).toMatchObject({ title: 'API errors', author: { name: 'Acme Cloud' } });
    // The start is one request: its thread opens with the first reply.
    expect(root.thread).toBeUndefined();

    page.setIncident({ id, status: 'identified', body: 'A bad deploy; rolling back.' });
    const thread = await discord.waitFor(() => root.thread, {
      timeoutMs: 15_000,
      what: 'the thread',
    });
    await discord.waitFor(() => discord.messagesIn(thread.id).length === 1, {
      timeoutMs: 15_000,
      what: 'the identified update',
    });

    // Kill once the update is recorded as delivered (a kill between the POST and that record
    // holds the thread for the outbox lease, 20 s; the unit tests cover that retry path).
    const delivered = () => bot.logs().filter((l) => l.msg === 'delivered').length;
    await bot.waitFor(() => delivered() >= 2, 'the identified update to be recorded');
    await bot.kill('SIGKILL');
    page.setIncident({ id, status: 'monitoring', body: 'Rolled back; watching.' });
    bot = await startBot();
    await discord.waitFor(() => discord.messagesIn(thread.id).length === 2, {
      timeoutMs: 15_000,
      what: 'the monitoring update after the restart',
    });
    page.resolveIncident(id, 'Error rates are back to normal.');
    await waitForRootEdit(discord, 15_000);
    // A few more polls: anything duplicated would show up now.
    await page.waitForRequests('summary', page.requestCount('summary') + 3, 10_000);

    expect(discord.messagesIn(channel.id)).toHaveLength(1);
    expect(discord.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(1);
    expect(titles(discord.messagesIn(thread.id))).toEqual(['Identified', 'Monitoring', 'Resolved']);
    expect(discord.callsTo('PATCH /channels/:id/messages/:id')).toHaveLength(1);
    expect(root.embeds[0]).toMatchObject({
      color: 0x57f287,
      fields: expect.arrayContaining([{ name: 'Status', value: 'Resolved', inline: true }]),
    });
    // The restart found /outage unchanged: no second registration.
    expect(discord.callsTo('PUT /applications/:id/guilds/:id/commands')).toHaveLength(1);
    for (const call of discord.calls.filter((c) => c.route === 'POST /channels/:id/messages')) {
      expect((call.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
    }
  }, 120_000);
});
