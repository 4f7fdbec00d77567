import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/bot-process.js';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import { discordEnv, startDiscord, subscribeAcme, waitForRootEdit } from './discord-flow.js';

/**
 * DESIGN "Scale": two bot processes on one Redis and one (fake) Discord. One holds the gateway
 * (one IDENTIFY, one answer per interaction), deliveries go out once, and when the holder shuts
 * down the other takes the gateway over (within a third of the 15 s lease, plus login).
 */

const scope = e2eScope();

describe('two Discord replicas on one Redis, end to end', () => {
  it('one holds the gateway, every post goes out once, and the other takes over', async () => {
    const discord = await startDiscord(scope);
    const page = await scope.startPage('Acme');
    const env = await scope.botEnv({
      store: 'redis',
      services: [acmeService(page)],
      extra: { ...discordEnv(discord), LOG_LEVEL: 'info' },
    });
    const first = scope.startBot(env);
    await first.waitForLog('outage-bot started', 30_000);
    const second = scope.startBot({ ...env, PORT: String(await freePort()) });
    await second.waitForLog('outage-bot started', 30_000);
    expect(second.logs().some((l) => String(l.msg).includes('standing by'))).toBe(true);
    expect(discord.gateway.stats.identifies).toBe(1);
    expect(discord.callsTo('GET /gateway/bot')).toHaveLength(1);

    const channel = discord.channels.incidents;
    const subscribe = () => subscribeAcme(discord, channel);
    const answer = await subscribe();
    expect(answer.callbacks).toHaveLength(1);
    expect(discord.callsTo('POST /interactions/:id/:id/callback')).toHaveLength(1);

    await page.waitForRequests('summary', page.requestCount('summary') + 2, 10_000);
    const id = openApiIncident(page, 'API errors', 'We are looking into elevated API errors.');
    const root = await discord.waitFor(() => discord.messagesIn(channel.id)[0], {
      timeoutMs: 15_000,
      what: 'the start message',
    });
    page.setIncident({ id, status: 'identified', body: 'A bad deploy; rolling back.' });
    const thread = await discord.waitFor(() => root.thread, {
      timeoutMs: 15_000,
      what: 'the thread, opened by the first reply',
    });
    await discord.waitFor(() => discord.messagesIn(thread.id).length === 1, {
      timeoutMs: 15_000,
      what: 'the identified update',
    });

    // A graceful stop hands the lease back; the standby logs in at its next round.
    await first.kill('SIGTERM');
    await second.waitForLog('discord: connected to the gateway', 20_000);
    expect(discord.gateway.stats.identifies).toBe(2);
    const again = await subscribe();
    expect(again.callbacks).toHaveLength(1);

    page.resolveIncident(id, 'Error rates are back to normal.');
    await waitForRootEdit(discord, 15_000);
    await page.waitForRequests('summary', page.requestCount('summary') + 3, 10_000);
    expect(discord.messagesIn(channel.id)).toHaveLength(1);
    expect(discord.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(1);
    expect(discord.messagesIn(thread.id).map((m) => m.embeds[0]?.title)).toEqual([
      'Identified',
      'Resolved',
    ]);
    expect(discord.callsTo('PATCH /channels/:id/messages/:id')).toHaveLength(1);
  }, 120_000);
});
