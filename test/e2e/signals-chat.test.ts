import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../fakes/discord/index.js';
import type { ApiCall } from '../fakes/slack/fake-slack.js';
import { e2eScope } from '../helpers/e2e-env.js';
import { discordEnv, replyOf, startDiscord } from './discord-flow.js';
import {
  INCIDENT_BODY,
  INCIDENT_TITLE,
  REPORT_NOTE,
  REPORTERS,
  RESOLVED_BODY,
  reportReplies,
  SERVICE,
  signalsFlow,
  walkSignals,
} from './signals-flow.js';
import {
  CHANNEL,
  commandAs,
  postAdminCommand,
  SIGNING_SECRET,
  shown,
  startSlack,
} from './slack-flow.js';

/**
 * Issue 11, done-when 2, through the real platform clients: a probe fails, five people run
 * `/outage report social`, the provider's incident arrives later. The merged thread on Slack and
 * on Discord, with a subscription that pings @here: only the event that confirms the outage pings.
 */

const scope = e2eScope();
const EPHEMERAL = 64;

const PROBE = /Probe: connection refused for 127\.0\.0\.1 since \d{2}:\d{2} UTC/;
const REPORTS = `Reports: ${REPORTERS} people reported problems with Social in the last 10 min.`;
const BY_REPORTS = 'Confirmed by probes and user reports';
const count = (text: string, part: string | RegExp): number => text.split(part).length - 1;

const keyIn = (metadata: unknown): string | undefined =>
  (metadata as { event_payload?: { thread_key?: string } } | undefined)?.event_payload?.thread_key;
const threadKeyOf = (call: ApiCall): string | undefined => keyIn(call.args.metadata);

describe('signals merged into one thread on Slack', () => {
  it('one root edited twice as confidence grows, each signal once as a reply, @here only on confirmation', async () => {
    const slack = await startSlack(scope);
    const flow = await signalsFlow(scope, {
      store: 'embedded',
      second: 'reports',
      extra: {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_API_URL: slack.apiUrl,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        MANAGE_POLICY: 'managers',
      },
    });
    const bot = scope.startBot(flow.env);
    const posts = () =>
      slack.accepted('chat.postMessage').filter((c) => threadKeyOf(c)?.startsWith(`${SERVICE}:`));
    const roots = () => posts().filter((c) => c.args.thread_ts === undefined);
    const rootTs = () =>
      slack.workspace.channels
        .get(CHANNEL)
        ?.messages.find((m) => keyIn(m.metadata)?.startsWith(`${SERVICE}:`))?.ts;
    const edits = () => slack.accepted('chat.update').filter((c) => c.args.ts === rootTs());
    const editsReach = (n: number, what: string) =>
      slack.waitFor(() => edits().length === n, what, 30_000);

    const reportReplySeen: string[] = [];

    await walkSignals(flow, bot, {
      subscribe: async () => {
        const answer = await postAdminCommand(slack, flow.env, `subscribe ${SERVICE} @here`);
        expect(answer.status).toBe(200);
      },
      started: () => slack.waitFor(() => roots().length === 1, 'the root', 30_000),
      report: async () => {
        for (let i = 1; i <= REPORTERS; i++) {
          const text = `report ${SERVICE} ${REPORT_NOTE}`;
          reportReplySeen.push(await commandAs(slack, flow.env, `U0REPORTER${i}`, text));
        }
      },
      confirmedBySecondSignal: () => editsReach(1, 'the root edited: confirmed by reports'),
      confirmedByProvider: () => editsReach(2, 'the root edited: confirmed by the provider'),
      resolved: () => editsReach(3, 'the root edited: resolved'),
    });

    const [root] = roots();
    expect(roots()).toHaveLength(1);
    expect(shown(root)).toContain("Suspected: outage-bot's probe fails");
    expect(shown(root)).toMatch(PROBE);
    const replies = posts().filter((c) => c.args.thread_ts !== undefined);
    expect(replies.map((r) => r.args.thread_ts)).toEqual([rootTs(), rootTs(), rootTs()]);
    expect(shown(replies[0])).toContain(`*${BY_REPORTS}*`);
    expect(shown(replies[0])).toContain(REPORTS);
    expect(shown(replies[1])).toContain('*Confirmed by the provider*');
    expect(shown(replies[1])).toContain(`Official: Investigating: ${INCIDENT_TITLE}`);
    expect(shown(replies[1])).toContain(INCIDENT_BODY);
    expect(shown(replies[2])).toContain('*Resolved*');
    expect(shown(replies[2])).toContain(RESOLVED_BODY);

    const [probes, provider, resolved] = edits();
    expect(shown(probes)).toContain(`*Confidence*\\n${BY_REPORTS}`);
    expect(shown(probes)).toContain('Social: 127.0.0.1: connection refused');
    expect(shown(provider)).toContain('*Confidence*\\nConfirmed by the provider');
    expect(shown(provider)).toContain(`Social: ${INCIDENT_TITLE}`);
    expect(shown(resolved)).toContain(`Resolved · Social: ${INCIDENT_TITLE}`);

    // The suspected start pings nobody; the confirmation does, once; edits never do.
    const pings = [root, ...replies, ...edits()].map((c) =>
      String(c?.args.text).startsWith('<!here>'),
    );
    expect(pings).toEqual([false, true, false, false, false, false, false]);

    // Each signal once in the thread: the probe in the root, the reports, the official word.
    const thread = [root, ...replies].map(shown).join('\n');
    expect(count(thread, 'Probe: connection refused')).toBe(1);
    expect(count(thread, 'Reports: ')).toBe(1);
    expect(count(thread, `Official: Investigating: ${INCIDENT_TITLE}`)).toBe(1);
    expect(count(thread, RESOLVED_BODY)).toBe(1);
    // Every reporter was told privately how many others had reported, and nothing was public.
    expect(reportReplySeen).toEqual(reportReplies('Social'));
    expect(shown(root)).not.toContain(REPORT_NOTE);
    expect(replies.map(shown).join('')).not.toContain(REPORT_NOTE);
  }, 150_000);
});

describe('signals merged into one thread on Discord', () => {
  it('one start message edited twice as confidence grows, each signal once in its thread', async () => {
    const discord = await startDiscord(scope);
    const channel = discord.channels.incidents;
    const flow = await signalsFlow(scope, {
      store: 'redis',
      second: 'reports',
      extra: { ...discordEnv(discord), LOG_LEVEL: 'info' },
    });
    const bot = scope.startBot(flow.env);
    const edits = () => discord.callsTo('PATCH /channels/:id/messages/:id');
    const editsReach = (n: number, what: string) =>
      discord.waitFor(() => edits().length === n, { timeoutMs: 30_000, what });
    const reportReplySeen: unknown[] = [];

    await walkSignals(flow, bot, {
      subscribe: async () => {
        await discord.interact({
          subcommand: 'subscribe',
          options: { service: SERVICE, mention: '@here' },
          channel,
          permissions: PERMISSIONS.manageAndMentionEveryone,
        });
      },
      started: () =>
        // Its thread opens with the first reply (a start is one request).
        discord.waitFor(() => discord.messagesIn(channel.id)[0], {
          timeoutMs: 30_000,
          what: 'the start message',
        }),
      report: async () => {
        for (let i = 1; i <= REPORTERS; i++) {
          const answer = await discord.interact({
            subcommand: 'report',
            options: { service: SERVICE, details: REPORT_NOTE },
            channel: discord.channels.general,
            permissions: PERMISSIONS.member,
            user: { id: `30000000000000010${i}`, username: `reporter-${i}` },
          });
          expect(answer.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
          reportReplySeen.push(replyOf(answer));
        }
      },
      confirmedBySecondSignal: () => editsReach(1, 'the start edited: confirmed by reports'),
      confirmedByProvider: () => editsReach(2, 'the start edited: confirmed by the provider'),
      resolved: () => editsReach(3, 'the start edited: resolved'),
    });

    expect(
      reportReplySeen.map(
        (data) => (data as { embeds?: { description?: string }[] }).embeds?.[0]?.description,
      ),
    ).toEqual(reportReplies('Social'));
    const starts = discord.messagesIn(channel.id);
    expect(starts).toHaveLength(1);
    const [root] = starts;
    const thread = root?.thread;
    expect(root?.embeds[0]).toMatchObject({ title: INCIDENT_TITLE, author: { name: 'Social' } });
    expect(root?.content ?? '').toBe('');
    const replies = discord.messagesIn(thread?.id ?? '');
    expect(replies.map((m) => m.embeds[0]?.title)).toEqual([
      BY_REPORTS,
      'Confirmed by the provider',
      'Resolved',
    ]);
    // As first posted (suspected), before the edits: the probe's line.
    const [posted] = discord
      .callsTo('POST /channels/:id/messages')
      .filter((call) => call.path === `/channels/${channel.id}/messages`);
    const postedEmbed = ((posted?.body ?? {}) as { embeds?: { description?: string }[] })
      .embeds?.[0];
    expect(postedEmbed?.description ?? '').toMatch(PROBE);
    expect(replies[0]?.embeds[0]?.description).toBe(REPORTS);
    // Each signal once in the thread, and no reporter's note in it.
    const threadText = JSON.stringify([postedEmbed, ...replies.map((m) => m.embeds)]);
    expect(count(threadText, 'Probe: connection refused')).toBe(1);
    expect(count(threadText, 'Reports: ')).toBe(1);
    expect(count(threadText, `Official: Investigating: ${INCIDENT_TITLE}`)).toBe(1);
    expect(threadText).not.toContain(REPORT_NOTE);
    expect(replies[1]?.embeds[0]?.description).toBe(
      `Official: Investigating: ${INCIDENT_TITLE}\n${INCIDENT_BODY}`,
    );
    expect(replies.map((m) => m.mention_everyone)).toEqual([true, false, false]);

    const confidence = edits().map((call) => {
      const embed = (call.body as { embeds: { fields: { name: string; value: string }[] }[] })
        .embeds[0];
      return embed?.fields.find((f) => f.name === 'Confidence')?.value ?? '-';
    });
    expect(confidence).toEqual([BY_REPORTS, 'Confirmed by the provider', '-']);
  }, 150_000);
});
