import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../fakes/discord/index.js';
import type { ApiCall } from '../fakes/slack/fake-slack.js';
import { e2eScope } from '../helpers/e2e-env.js';
import { discordEnv, startDiscord } from './discord-flow.js';
import {
  INCIDENT_BODY,
  INCIDENT_TITLE,
  RESOLVED_BODY,
  SERVICE,
  signalsFlow,
  walkSignals,
} from './signals-flow.js';
import { CHANNEL, postAdminCommand, SIGNING_SECRET, shown, startSlack } from './slack-flow.js';

/**
 * Issue 11, done-when 2, through the real platform clients: the merged thread on Slack and on
 * Discord, with a subscription that pings @here: only the event that confirms the outage pings.
 */

const scope = e2eScope();

const PROBE = /Probe: connection refused for 127\.0\.0\.1 since \d{2}:\d{2} UTC/;

const keyIn = (metadata: unknown): string | undefined =>
  (metadata as { event_payload?: { thread_key?: string } } | undefined)?.event_payload?.thread_key;
const threadKeyOf = (call: ApiCall): string | undefined => keyIn(call.args.metadata);

describe('signals merged into one thread on Slack', () => {
  it('one root edited twice as confidence grows, each signal once as a reply, @here only on confirmation', async () => {
    const slack = await startSlack(scope);
    const flow = await signalsFlow(scope, {
      store: 'embedded',
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

    await walkSignals(flow, bot, {
      subscribe: async () => {
        const answer = await postAdminCommand(slack, flow.env, `subscribe ${SERVICE} @here`);
        expect(answer.status).toBe(200);
      },
      started: () => slack.waitFor(() => roots().length === 1, 'the root', 30_000),
      confirmedByProbes: () => editsReach(1, 'the root edited: confirmed by probes'),
      confirmedByProvider: () => editsReach(2, 'the root edited: confirmed by the provider'),
      resolved: () => editsReach(3, 'the root edited: resolved'),
    });

    const [root] = roots();
    expect(roots()).toHaveLength(1);
    expect(shown(root)).toContain("Suspected: outage-bot's probe fails");
    expect(shown(root)).toMatch(PROBE);
    const replies = posts().filter((c) => c.args.thread_ts !== undefined);
    expect(replies.map((r) => r.args.thread_ts)).toEqual([rootTs(), rootTs(), rootTs()]);
    expect(shown(replies[0])).toContain('*Confirmed by probes*');
    expect(shown(replies[0])).toMatch(PROBE);
    expect(shown(replies[1])).toContain('*Confirmed by the provider*');
    expect(shown(replies[1])).toContain(`Official: Investigating: ${INCIDENT_TITLE}`);
    expect(shown(replies[1])).toContain(INCIDENT_BODY);
    expect(shown(replies[2])).toContain('*Resolved*');
    expect(shown(replies[2])).toContain(RESOLVED_BODY);

    const [probes, provider, resolved] = edits();
    expect(shown(probes)).toContain('*Confidence*\\nConfirmed by probes');
    expect(shown(probes)).toContain('Social: 127.0.0.1: connection refused');
    expect(shown(provider)).toContain('*Confidence*\\nConfirmed by the provider');
    expect(shown(provider)).toContain(`Social: ${INCIDENT_TITLE}`);
    expect(shown(resolved)).toContain(`Resolved · Social: ${INCIDENT_TITLE}`);

    // The suspected start pings nobody; the confirmation does, once; edits never do.
    const pings = [root, ...replies, ...edits()].map((c) =>
      String(c?.args.text).startsWith('<!here>'),
    );
    expect(pings).toEqual([false, true, false, false, false, false, false]);
  }, 150_000);
});

describe('signals merged into one thread on Discord', () => {
  it('one start message edited twice as confidence grows, each signal once in its thread', async () => {
    const discord = await startDiscord(scope);
    const channel = discord.channels.incidents;
    const flow = await signalsFlow(scope, {
      store: 'redis',
      extra: { ...discordEnv(discord), LOG_LEVEL: 'info' },
    });
    const bot = scope.startBot(flow.env);
    const edits = () => discord.callsTo('PATCH /channels/:id/messages/:id');
    const editsReach = (n: number, what: string) =>
      discord.waitFor(() => edits().length === n, { timeoutMs: 30_000, what });

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
        discord.waitFor(() => discord.messagesIn(channel.id)[0]?.thread, {
          timeoutMs: 30_000,
          what: 'the start message and its thread',
        }),
      confirmedByProbes: () => editsReach(1, 'the start edited: confirmed by probes'),
      confirmedByProvider: () => editsReach(2, 'the start edited: confirmed by the provider'),
      resolved: () => editsReach(3, 'the start edited: resolved'),
    });

    const starts = discord.messagesIn(channel.id);
    expect(starts).toHaveLength(1);
    const [root] = starts;
    const thread = root?.thread;
    expect(root?.embeds[0]).toMatchObject({ title: INCIDENT_TITLE, author: { name: 'Social' } });
    expect(root?.content ?? '').toBe('');
    const replies = discord.messagesIn(thread?.id ?? '');
    expect(replies.map((m) => m.embeds[0]?.title)).toEqual([
      'Confirmed by probes',
      'Confirmed by the provider',
      'Resolved',
    ]);
    expect(replies[0]?.embeds[0]?.description).toMatch(PROBE);
    expect(replies[1]?.embeds[0]?.description).toBe(
      `Official: Investigating: ${INCIDENT_TITLE}\n${INCIDENT_BODY}`,
    );
    expect(replies.map((m) => m.mention_everyone)).toEqual([true, false, false]);

    const confidence = edits().map((call) => {
      const embed = (call.body as { embeds: { fields: { name: string; value: string }[] }[] })
        .embeds[0];
      return embed?.fields.find((f) => f.name === 'Confidence')?.value ?? '-';
    });
    expect(confidence).toEqual(['Confirmed by probes', 'Confirmed by the provider', '-']);
  }, 150_000);
});
