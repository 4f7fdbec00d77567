import { describe, expect, it } from 'vitest';
import { FAULTS, type RecordedCall } from '../fakes/discord/index.js';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import {
  discordEnv,
  replyOf,
  startDiscord,
  subscribeAcme,
  waitForRootEdit,
} from './discord-flow.js';

/**
 * Exactly-once across a crash in the middle of a send, on Discord: the fake stores an update's
 * message in the thread but holds the answer, and the bot is SIGKILLed while it waits. The
 * restarted bot takes the thread over once the outbox lease (OUTBOX_LEASE_MS) runs out and
 * resends the update with the same nonce and enforce_nonce, which gives back the stored message
 * instead of a second copy; then it posts only what is still missing.
 */

const scope = e2eScope();

/** Longer than it takes to see the message stored and kill the bot; the answer then goes nowhere. */
const HOLD_MS = 8_000;

const POSTS = 'POST /channels/:id/messages';
const nonceOf = (call: RecordedCall | undefined) => (call?.body as { nonce?: string })?.nonce;

describe.each(['embedded', 'redis'] as const)('Discord, SIGKILL mid-send (%s store)', (store) => {
  it('leaves exactly one copy of the update whose answer was lost with the process', async () => {
    const discord = await startDiscord(scope);
    const page = await scope.startAcmePage();
    // The lease is taken with the first process's setting, so both run with the short one.
    const env = await scope.botEnv({
      store,
      services: [acmeService(page)],
      extra: { ...discordEnv(discord), OUTBOX_LEASE_MS: '5000' },
    });
    const channel = discord.channels.incidents;
    const first = scope.startBot(env);
    await first.waitForLog('outage-bot started', 30_000);
    const answer = await subscribeAcme(discord, channel);
    const reply = replyOf(answer);
    expect(JSON.stringify(reply)).toContain('Acme Cloud');

    await page.waitForRequests('summary', page.requestCount('summary') + 2, 15_000);
    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    const root = await discord.waitFor(() => discord.messagesIn(channel.id)[0], {
      timeoutMs: 20_000,
      what: 'the start message',
    });
    // The first reply opens the thread, which then has the start message's id.
    const thread = { id: root.id };
    const threadPath = `/channels/${thread.id}/messages`;
    const threadPosts = () => discord.callsTo(POSTS).filter((c) => c.path === threadPath);
    const started = (l: Record<string, unknown>) => l.msg === 'delivered' && l.event === 'started';
    await first.waitFor(() => first.logs().some(started), 'the start to be recorded');

    // The next post in the thread (the update) is stored at once; its answer comes HOLD_MS later.
    discord.addFault({
      route: POSTS,
      match: (req) => req.path === threadPath,
      fault: FAULTS.delay(HOLD_MS),
      afterEffect: true,
      times: 1,
    });
    page.setIncident({ id, status: 'identified', body: 'A bad deploy was found; rolling back.' });
    await discord.waitFor(() => discord.messagesIn(thread.id).length === 1, {
      timeoutMs: 20_000,
      what: 'the update in the thread',
    });
    await first.kill('SIGKILL');
    // The kill really came mid-send: the answer was still held, and the first process never
    // learnt that the update went out.
    const held = threadPosts()[0];
    expect(held?.status).toBe(0);
    const recorded = (l: Record<string, unknown>) => l.msg === 'delivered' && l.event === 'updated';
    expect(first.logs().some(recorded)).toBe(false);

    page.resolveIncident(id, 'Error rates are back to normal.');
    const second = scope.startBot(env);
    await second.waitForLog('outage-bot started', 30_000);
    await waitForRootEdit(discord, 30_000);
    expect(second.logs().some(recorded)).toBe(true);
    // The held answer is finally sent (to nobody); a few more polls: nothing may be repeated.
    await discord.waitFor(() => held?.status === 200, { timeoutMs: 15_000, what: 'the answer' });
    await page.waitForRequests('summary', page.requestCount('summary') + 3, 15_000);

    expect(discord.messagesIn(channel.id)).toEqual([root]);
    expect(discord.threadsOf(channel.id).map((t) => t.id)).toEqual([thread.id]);
    expect(discord.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(1);
    const inThread = discord.messagesIn(thread.id);
    expect(inThread.map((m) => m.embeds[0]?.title)).toEqual(['Identified', 'Resolved']);
    expect(JSON.stringify(inThread[0]?.embeds)).toContain('rolling back');
    expect(JSON.stringify(inThread[1]?.embeds)).toContain('back to normal');
    // The retry of the update carried the first attempt's nonce, so Discord gave that message back.
    const posts = threadPosts();
    expect(posts.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(nonceOf(posts[1])).toBe(nonceOf(held));
    expect(posts[1]?.body).toMatchObject({ enforce_nonce: true });
    expect(nonceOf(posts[2])).not.toBe(nonceOf(held));
    const edits = discord.callsTo('PATCH /channels/:id/messages/:id');
    expect(edits.map((c) => c.path)).toEqual([`/channels/${channel.id}/messages/${root.id}`]);
    expect(root.embeds[0]).toMatchObject({
      color: 0x57f287,
      fields: expect.arrayContaining([{ name: 'Status', value: 'Resolved', inline: true }]),
    });
  }, 120_000);
});
