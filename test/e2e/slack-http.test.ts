import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { postSlashCommand, slashCommandFields } from '../fakes/slack/signer.js';
import { startStatusServer } from '../fakes/status-server.js';
import {
  ADMIN,
  botEnv,
  type Cleanup,
  SIGNING_SECRET,
  startBot,
  walkIncident,
} from './slack-flow.js';

/** Issue 3, Done-when 1 and 3: the real bot in HTTP mode against the fake Slack. */

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('Slack in HTTP mode, end to end', () => {
  it('subscribes with a signed /outage and posts one thread per incident across a SIGKILL', async () => {
    const slack = await FakeSlack.start();
    cleanups.push(() => slack.close());
    slack.workspace.setUser(ADMIN, { is_admin: true });
    const page = await startStatusServer({ name: 'Acme' });
    cleanups.push(() => page.close());
    page.setComponent('API', 'operational');
    const env = await botEnv(slack, page, 'http', cleanups);
    const bot = startBot(env, cleanups);
    await bot.waitForLog('outage-bot started');
    const eventsUrl = `http://127.0.0.1:${env.PORT}/slack/events`;

    // Unsigned, badly signed and stale requests: 401, and nothing runs.
    for (const mode of ['unsigned', 'bad-signature', 'stale'] as const) {
      const res = await postSlashCommand({
        url: eventsUrl,
        signingSecret: SIGNING_SECRET,
        fields: slashCommandFields({ text: 'subscribe acme', userId: ADMIN }),
        mode,
      });
      expect(res.status, mode).toBe(401);
    }
    expect(slack.callsTo('users.info')).toEqual([]);

    const res = await postSlashCommand({
      url: eventsUrl,
      signingSecret: SIGNING_SECRET,
      fields: slashCommandFields({
        text: 'subscribe acme',
        userId: ADMIN,
        responseUrl: slack.responseUrl(),
      }),
    });
    expect(res.status).toBe(200);
    const ack = (await res.json()) as { response_type: string; text: string };
    expect(ack.response_type).toBe('in_channel');
    expect(ack.text).toMatch(/Acme Cloud/);

    await walkIncident({ slack, page, env, cleanups, firstBot: bot });
    // The bot never outran Slack's per-channel limit.
    expect(slack.limiter.hits).toBe(0);
  }, 120_000);
});
