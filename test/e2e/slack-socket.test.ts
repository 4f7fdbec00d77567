import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { slashCommandFields } from '../fakes/slack/signer.js';
import { startStatusServer } from '../fakes/status-server.js';
import { ADMIN, botEnv, type Cleanup, startBot, walkIncident } from './slack-flow.js';

/**
 * Issue 3, Done-when 2: the same flow in Socket Mode (hello, envelope, ack), with the fake
 * answering 429 (Retry-After 2) to every second chat call and 500 to some posts (Done-when 5).
 */

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('Slack in Socket Mode, end to end', () => {
  it('subscribes over the socket and posts one thread per incident across a SIGKILL', async () => {
    const slack = await FakeSlack.start();
    cleanups.push(() => slack.close());
    slack.workspace.setUser(ADMIN, { is_admin: true });
    const page = await startStatusServer({ name: 'Acme' });
    cleanups.push(() => page.close());
    page.setComponent('API', 'operational');
    const env = await botEnv(slack, page, 'socket', cleanups);
    const bot = startBot(env, cleanups);
    await bot.waitForLog('outage-bot started');
    expect(slack.socket.hellos).toHaveLength(1);
    expect(slack.accepted('apps.connections.open')).toHaveLength(1);

    const ack = await slack.socket.slashCommand(
      slashCommandFields({
        text: 'subscribe acme',
        userId: ADMIN,
        responseUrl: slack.responseUrl(),
      }),
    );
    expect(ack.payload?.response_type).toBe('in_channel');
    expect(String(ack.payload?.text)).toMatch(/Acme Cloud/);

    slack.fail({ method: /^chat\./, every: 2, status: 429, retryAfter: 2 });
    slack.fail({ method: 'chat.postMessage', every: 3, status: 500, times: 2 });
    await walkIncident({
      slack,
      page,
      env,
      cleanups,
      firstBot: bot,
      afterRestart: () => slack.waitFor(() => slack.socket.hellos.length === 2, 'the second hello'),
    });
    expect(slack.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    expect(slack.calls.filter((c) => c.status === 500).length).toBeGreaterThan(0);
    // Still answering commands after the restart.
    const after = await slack.socket.slashCommand(
      slashCommandFields({ text: 'list', userId: ADMIN }),
    );
    expect(String(after.payload?.text)).toMatch(/1 service/);
  }, 150_000);
});
