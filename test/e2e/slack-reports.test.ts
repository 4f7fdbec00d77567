import { describe, expect, it } from 'vitest';
import { startProbeTarget } from '../fakes/probe-target.js';
import type { ApiCall } from '../fakes/slack/fake-slack.js';
import { acmeService, e2eScope } from '../helpers/e2e-env.js';
import {
  CHANNEL,
  commandAs,
  postAdminCommand,
  SIGNING_SECRET,
  shown,
  startSlack,
} from './slack-flow.js';

/**
 * Issue 11, user reports end to end: the real bot process in Slack HTTP mode, a channel following
 * Acme, and a burst of `/outage report acme` from different people (one of them twice, one with
 * a note trying to ping the channel). Polls are hourly, so only the poll each counted report
 * triggers can bring the incident: it arrives as one root message, once, with the exact text.
 */

const scope = e2eScope();

const threadKeyOf = (call: ApiCall): string =>
  String(
    (call.args.metadata as { event_payload?: { thread_key?: string } } | undefined)?.event_payload
      ?.thread_key,
  );

describe('user reports through the real bot (Slack, HTTP mode)', () => {
  it('five people reporting within the window open one "users report problems" thread', async () => {
    const slack = await startSlack(scope);
    const page = await scope.startAcmePage();
    const control = scope.track(await startProbeTarget());
    const env = await scope.botEnv({
      services: [acmeService(page)],
      extra: {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_API_URL: slack.apiUrl,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        MANAGE_POLICY: 'managers',
        POLL_SCHEDULE: '0 0 * * * *',
        PROBE_CONTROL_URLS: control.url.replace('localhost', '127.0.0.1'),
      },
    });
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started');
    expect((await postAdminCommand(slack, env, 'subscribe acme')).status).toBe(200);

    const reportAs = (userId: string, text = 'report acme') => commandAs(slack, env, userId, text);

    expect(await reportAs('U01', 'report acme the API <!channel> times out @here')).toBe(
      'Thanks, your report about Acme Cloud is counted.\nNobody else has reported Acme Cloud in the last 30 min.\nYour note: "the API @\u2060channel times out @\u2060here"',
    );
    expect(await reportAs('U02')).toBe(
      'Thanks, your report about Acme Cloud is counted.\n1 other person has reported Acme Cloud in the last 30 min.',
    );
    expect(await reportAs('U01')).toBe(
      'You already reported Acme Cloud in the last 10 min; you are counted once.\n1 other person has reported Acme Cloud in the last 30 min.',
    );
    await reportAs('U03');
    await reportAs('U04');
    // Four people so far (U01 twice): read by the reports feed, and nothing is posted.
    const countedLogs = (reporters: number) =>
      bot.logs().filter((l) => l.msg === 'reports counted' && l.reporters === reporters).length;
    await bot.waitFor(() => countedLogs(4) > 0, 'the reports feed reading four reporters');
    expect(slack.accepted('chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toEqual(
      [],
    );

    expect(await reportAs('U05')).toBe(
      'Thanks, your report about Acme Cloud is counted.\n4 other people have reported Acme Cloud in the last 30 min.',
    );
    const reportRoots = () =>
      slack
        .accepted('chat.postMessage')
        .filter((c) => threadKeyOf(c).startsWith('acme:reports:') && !c.args.thread_ts);
    await slack.waitFor(() => reportRoots().length === 1, 'the report incident', 20_000);
    // More reports and polls: the same thread, no second start.
    await reportAs('U06');
    await bot.waitFor(() => countedLogs(6) > 0, 'the reports feed reading six reporters');
    await bot.waitFor(
      () => bot.logs().filter((l) => l.msg === 'delivered').length >= 1,
      'the start recorded as delivered',
    );
    const [root] = reportRoots();
    expect(root?.args.channel).toBe(CHANNEL);
    expect(root?.args.text).toBe('Acme Cloud: Users report problems (minor impact, investigating)');
    expect(shown(root)).toContain('5 people reported problems with Acme Cloud in the last 10 min.');
    expect(shown(root)).not.toMatch(/<!channel>|<!here>|times out/);
    expect(reportRoots()).toHaveLength(1);
  }, 120_000);
});
