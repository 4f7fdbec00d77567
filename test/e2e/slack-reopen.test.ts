import { describe, expect, it } from 'vitest';
import { e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import { CHANNEL, postAdminCommand, shown, startSlackFlow, threadCalls } from './slack-flow.js';

/** Issue 7: an incident the page reopens goes back to its thread, root and all. */

const scope = e2eScope();

describe('Slack: a reopened incident, end to end', () => {
  it('edits the root back to open and posts the reopening update once in the old thread', async () => {
    const { slack, page, env, bot } = await startSlackFlow(scope, 'http');
    await bot.waitForLog('outage-bot started');
    expect((await postAdminCommand(slack, env, 'subscribe acme')).status).toBe(200);
    await page.waitForRequests('summary', 2, 15_000);

    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    const key = `acme:${id}`;
    await slack.waitFor(() => threadCalls(slack, key).roots.length === 1, 'the root', 20_000);
    const rootTs = slack.workspace.channels
      .get(CHANNEL)
      ?.messages.find(
        (m) => (m.metadata?.event_payload as { thread_key?: string })?.thread_key === key,
      )?.ts;
    const edits = () => slack.accepted('chat.update').filter((c) => c.args.ts === rootTs);

    page.resolveIncident(id, 'Error rates are back to normal.');
    await slack.waitFor(() => edits().length === 1, 'the root edited to resolved', 20_000);
    page.setIncident({ id, status: 'investigating', body: 'The errors are back.' });
    await slack.waitFor(() => edits().length === 2, 'the root edited back to open', 20_000);
    // A few more polls: nothing may be repeated.
    const polled = page.requestCount('summary');
    await page.waitForRequests('summary', polled + 3, 15_000);

    const { roots, replies } = threadCalls(slack, key);
    expect(roots).toHaveLength(1);
    expect(replies.map((r) => r.args.thread_ts)).toEqual([rootTs, rootTs]);
    expect(shown(replies[1])).toContain('*Reopened* (Investigating)');
    expect(shown(replies[1])).toContain('The errors are back.');
    const [closed, reopened] = edits();
    expect(edits()).toHaveLength(2);
    expect(shown(closed)).toMatch(/Resolved · Acme Cloud/);
    expect(shown(reopened)).not.toMatch(/Resolved/);
    expect(shown(reopened)).toContain('Acme Cloud: Elevated API errors');
    expect(reopened?.args.text).toMatch(/investigating\)$/);
  });
});
