import { describe, expect, it } from 'vitest';
import type { FakeSlack } from '../fakes/slack/fake-slack.js';
import { blockActionsPayload, postBlockActions } from '../fakes/slack/interactivity.js';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import {
  ADMIN,
  CHANNEL,
  eventsUrl,
  postAdminCommand,
  SIGNING_SECRET,
  startSlack,
  threadCalls,
} from './slack-flow.js';

/**
 * Issue 12, done-when 3, with the real bot process: the buttons on a start message, pressed on
 * the fake Slack, change what the next polls post, once, and only for someone allowed to.
 */

const scope = e2eScope();
const MEMBER = 'U0MEMBER';
const UNTIL = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC';

/** The ts of the start message of `key`'s thread in #general. */
function rootTs(slack: FakeSlack, key: string): string {
  const ts = slack.workspace.channels
    .get(CHANNEL)
    ?.messages.find(
      (m) => (m.metadata?.event_payload as { thread_key?: string })?.thread_key === key,
    )?.ts;
  if (!ts) throw new Error(`no start message for ${key}`);
  return ts;
}

describe('Slack buttons on start messages, end to end', () => {
  it('Mute holds back one service here, Unsubscribe ends it, a member is refused', async () => {
    const slack = await startSlack(scope);
    slack.workspace.setUser(MEMBER);
    const acme = await scope.startAcmePage();
    const beta = await scope.startPage('Beta');
    beta.setComponent('API', 'operational');
    const env = await scope.botEnv({
      services: [acmeService(acme), { id: 'beta', name: 'Beta Cloud', url: beta.url }],
      extra: {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_API_URL: slack.apiUrl,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        MANAGE_POLICY: 'managers',
      },
    });
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started');
    for (const id of ['acme', 'beta']) {
      expect((await postAdminCommand(slack, env, `subscribe ${id}`)).status).toBe(200);
    }
    await acme.waitForRequests('summary', 2, 15_000);
    await beta.waitForRequests('summary', 2, 15_000);

    async function press(ts: string, actionId: string, userId: string) {
      const before = slack.responses.length;
      const payload = blockActionsPayload(slack.workspace, {
        channelId: CHANNEL,
        ts,
        actionId,
        userId,
        responseUrl: slack.responseUrl(),
      });
      const res = await postBlockActions(eventsUrl(env), SIGNING_SECRET, payload);
      expect(res.status).toBe(200);
      await slack.waitFor(() => slack.responses.length > before, 'the answer', 10_000);
      const body = slack.responses.at(-1)?.body ?? {};
      return `${body.response_type}: ${body.text}`;
    }

    const first = openApiIncident(acme, 'Elevated API errors', 'We are investigating.');
    const firstKey = `acme:${first}`;
    await slack.waitFor(() => threadCalls(slack, firstKey).roots.length === 1, 'the root', 20_000);
    const acmeRoot = rootTs(slack, firstKey);

    expect(await press(acmeRoot, 'ob:mute', MEMBER)).toMatch(/^ephemeral: :warning: You can't/);
    expect(await press(acmeRoot, 'ob:mute', ADMIN)).toMatch(
      new RegExp(
        `^in_channel: Acme Cloud is muted in this channel for 1h, until ${UNTIL}: no new Acme Cloud threads here until then, open ones still get their updates\\. /outage unmute acme ends it early\\.$`,
      ),
    );
    expect(await press(acmeRoot, 'ob:mute', ADMIN)).toMatch(
      new RegExp(
        `^ephemeral: :warning: Acme Cloud is already muted in this channel until ${UNTIL}\\.$`,
      ),
    );

    // A new Acme incident is held back, Beta's is posted, the open Acme thread goes on.
    const second = acme.setIncident({ name: 'Dashboard slow', impact: 'minor', body: 'Looking.' });
    acme.setIncident({ id: first, status: 'identified', body: 'A bad deploy was found.' });
    const betaIncident = openApiIncident(beta, 'Beta API down', 'Investigating.');
    const betaKey = `beta:${betaIncident}`;
    await slack.waitFor(() => threadCalls(slack, betaKey).roots.length === 1, 'Beta root', 20_000);
    await slack.waitFor(() => threadCalls(slack, firstKey).replies.length === 1, 'update', 20_000);
    const polled = acme.requestCount('summary');
    await acme.waitForRequests('summary', polled + 3, 15_000);
    expect(threadCalls(slack, `acme:${second}`).posts).toEqual([]);

    // Unsubscribe from Beta: refused to the member, done once for the admin.
    const betaRoot = rootTs(slack, betaKey);
    expect(await press(betaRoot, 'ob:unsub', MEMBER)).toMatch(/^ephemeral: :warning: You can't/);
    expect(await press(betaRoot, 'ob:unsub', ADMIN)).toBe(
      'in_channel: This channel no longer follows Beta Cloud.',
    );
    expect(await press(betaRoot, 'ob:unsub', ADMIN)).toBe(
      'ephemeral: :warning: This channel does not follow Beta Cloud. It follows Acme Cloud.',
    );
    const later = openApiIncident(beta, 'Beta API down again', 'Investigating.');
    // Nobody here follows Beta now; a few polls on, nothing of it was posted.
    const acmePolled = acme.requestCount('summary');
    await acme.waitForRequests('summary', acmePolled + 3, 15_000);
    expect(threadCalls(slack, `beta:${later}`).posts).toEqual([]);
    expect(
      slack.accepted('chat.postMessage').filter((c) => c.args.thread_ts === undefined),
    ).toHaveLength(2);
  }, 120_000);
});
