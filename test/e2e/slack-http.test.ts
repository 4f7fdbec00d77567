import { describe, expect, it } from 'vitest';
import { postSlashCommand, slashCommandFields } from '../fakes/slack/signer.js';
import { e2eScope } from '../helpers/e2e-env.js';
import {
  ADMIN,
  eventsUrl,
  postAdminCommand,
  SIGNING_SECRET,
  startSlackFlow,
  walkIncident,
} from './slack-flow.js';

/** Issue 3, Done-when 1 and 3: the real bot in HTTP mode against the fake Slack. */

const scope = e2eScope();

describe('Slack in HTTP mode, end to end', () => {
  it('subscribes with a signed /outage and posts one thread per incident across a SIGKILL', async () => {
    const { slack, page, env, bot } = await startSlackFlow(scope, 'http');
    await bot.waitForLog('outage-bot started');

    // Unsigned, badly signed and stale requests: 401, and nothing runs.
    for (const mode of ['unsigned', 'bad-signature', 'stale'] as const) {
      const res = await postSlashCommand({
        url: eventsUrl(env),
        signingSecret: SIGNING_SECRET,
        fields: slashCommandFields({ text: 'subscribe acme', userId: ADMIN }),
        mode,
      });
      expect(res.status, mode).toBe(401);
    }
    expect(slack.callsTo('users.info')).toEqual([]);

    const res = await postAdminCommand(slack, env, 'subscribe acme');
    expect(res.status).toBe(200);
    const ack = (await res.json()) as { response_type: string; text: string };
    expect(ack.response_type).toBe('in_channel');
    expect(ack.text).toMatch(/Acme Cloud/);

    await walkIncident({ slack, page, env, scope, firstBot: bot });
    // The bot never outran Slack's per-channel limit.
    expect(slack.limiter.hits).toBe(0);
  }, 120_000);
});
