import { describe, expect, it } from 'vitest';
import { slashCommandFields } from '../fakes/slack/signer.js';
import { e2eScope } from '../helpers/e2e-env.js';
import { ADMIN, adminCommand, startSlackFlow, walkIncident } from './slack-flow.js';

/**
 * Issue 3, Done-when 2: the same flow in Socket Mode (hello, envelope, ack), with the fake
 * answering 429 (Retry-After 2) to every second chat call and 500 to some posts (Done-when 5).
 */

const scope = e2eScope();

describe('Slack in Socket Mode, end to end', () => {
  it('subscribes over the socket and posts one thread per incident across a SIGKILL', async () => {
    const { slack, page, env, bot } = await startSlackFlow(scope, 'socket');
    await bot.waitForLog('outage-bot started');
    expect(slack.socket.hellos).toHaveLength(1);
    expect(slack.accepted('apps.connections.open')).toHaveLength(1);

    const ack = await slack.socket.slashCommand(adminCommand(slack, 'subscribe acme'));
    expect(ack.payload?.response_type).toBe('in_channel');
    expect(String(ack.payload?.text)).toMatch(/Acme Cloud/);

    slack.fail({ method: /^chat\./, every: 2, status: 429, retryAfter: 2 });
    slack.fail({ method: 'chat.postMessage', every: 3, status: 500, times: 2 });
    await walkIncident({
      slack,
      page,
      env,
      scope,
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
