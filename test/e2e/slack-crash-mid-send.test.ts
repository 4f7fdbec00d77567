import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/slack/workspace.js';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import {
  CHANNEL,
  postAdminCommand,
  SIGNING_SECRET,
  shown,
  startSlack,
  threadCalls,
} from './slack-flow.js';

/**
 * Exactly-once across a crash in the middle of a send (review findings 7 and 16): Slack takes an
 * update's chat.postMessage but holds the answer, and the bot is SIGKILLed while it waits. The
 * restarted bot takes the thread over once the outbox lease (OUTBOX_LEASE_MS) runs out, finds the
 * reply already in the thread by its metadata, and posts only what is still missing.
 */

const scope = e2eScope();

/** Longer than it takes to see the commit and kill the bot; the answer then goes nowhere. */
const HOLD_MS = 8_000;

const threadKeyOf = (m: FakeMessage) =>
  (m.metadata?.event_payload as { thread_key?: string } | undefined)?.thread_key;

describe.each(['embedded', 'redis'] as const)('Slack, SIGKILL mid-send (%s store)', (store) => {
  it('leaves exactly one copy of the update whose answer was lost with the process', async () => {
    const slack = await startSlack(scope);
    const page = await scope.startAcmePage();
    const env = await scope.botEnv({
      store,
      services: [acmeService(page)],
      extra: {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_API_URL: slack.apiUrl,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        OUTBOX_LEASE_MS: '5000',
      },
    });
    const first = scope.startBot(env);
    await first.waitForLog('outage-bot started');
    expect((await postAdminCommand(slack, env, 'subscribe acme')).status).toBe(200);

    await page.waitForRequests('summary', page.requestCount('summary') + 2, 15_000);
    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    const key = `acme:${id}`;
    await slack.waitFor(() => threadCalls(slack, key).roots.length === 1, 'the root', 20_000);
    const channel = slack.workspace.channels.get(CHANNEL);
    const rootTs = channel?.messages.find((m) => threadKeyOf(m) === key)?.ts;
    expect(rootTs).toBeDefined();
    const inThread = () =>
      (channel?.messages ?? []).filter((m) => threadKeyOf(m) === key && m.ts !== rootTs);

    // The next post (the update) takes effect at once; its answer comes HOLD_MS later.
    slack.fail({ method: 'chat.postMessage', times: 1, afterCommit: true, delayMs: HOLD_MS });
    page.setIncident({ id, status: 'identified', body: 'A bad deploy was found; rolling back.' });
    await slack.waitFor(() => inThread().length === 1, 'the update in the thread', 20_000);
    await first.kill('SIGKILL');
    // The kill really came mid-send: the first process never learnt that the update went out.
    const recorded = (l: Record<string, unknown>) => l.msg === 'delivered' && l.event === 'updated';
    expect(first.logs().some(recorded)).toBe(false);
    expect(threadCalls(slack, key).replies).toEqual([]);

    page.resolveIncident(id, 'Error rates are back to normal.');
    const second = scope.startBot(env);
    await second.waitForLog('outage-bot started');
    await slack.waitFor(
      () => slack.accepted('chat.update').some((c) => c.args.ts === rootTs),
      'the edit of the root',
      30_000,
    );
    expect(second.logs().some(recorded)).toBe(true);
    expect(second.logs().some((l) => /found the earlier attempt/.test(String(l.msg)))).toBe(true);
    // The held answer is finally sent (to nobody); a few more polls: nothing may be repeated.
    await slack.waitFor(() => threadCalls(slack, key).replies.length >= 2, 'the held answer');
    await page.waitForRequests('summary', page.requestCount('summary') + 3, 15_000);

    const replies = inThread();
    expect(replies.map((m) => m.thread_ts)).toEqual([rootTs, rootTs]);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('rolling back');
    expect(JSON.stringify(replies[1]?.blocks)).toContain('back to normal');
    const calls = threadCalls(slack, key);
    expect(calls.roots).toHaveLength(1);
    expect(calls.replies).toHaveLength(2);
    const edits = slack.accepted('chat.update').filter((c) => c.args.ts === rootTs);
    expect(edits).toHaveLength(1);
    expect(shown(edits[0])).toMatch(/Resolved · Acme Cloud/);
  }, 120_000);
});
