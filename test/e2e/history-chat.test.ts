import { describe, expect, it } from 'vitest';
import { LEVEL_COLORS } from '../../src/board/day-bars.js';
import { e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import { barColor } from '../helpers/png-pixels.js';
import { discordEnv, startDiscord, subscribeAcme } from './discord-flow.js';
import { CHANNEL, postAdminCommand, startSlackFlow } from './slack-flow.js';

/**
 * Issue 12, done-when 2: the compiled bot answers `/outage history acme` on both fakes with a
 * PNG whose bars show the incident it saw today, and the figures as text.
 */

const scope = e2eScope();
const DURATION = /^\d+[dhms]( \d+[dhms])?$/;

describe('/outage history, end to end on Slack and Discord', () => {
  it('shares a picture with the bars and the figures on both platforms', async () => {
    const discord = await startDiscord(scope);
    const { slack, page, env, bot } = await startSlackFlow(scope, 'http', discordEnv(discord));
    await bot.waitForLog('outage-bot started', 30_000);
    expect((await postAdminCommand(slack, env, 'subscribe acme')).status).toBe(200);
    await subscribeAcme(discord, discord.channels.incidents);

    await page.waitForRequests('summary', page.requestCount('summary') + 2, 15_000);
    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    await slack.waitFor(() => slack.accepted('chat.postMessage').length === 1, 'the root', 20_000);
    page.resolveIncident(id, 'Error rates are back to normal.');
    await slack.waitFor(() => slack.accepted('chat.update').length === 1, 'the edit', 20_000);
    await page.waitForRequests('summary', page.requestCount('summary') + 1, 15_000);

    const res = await postAdminCommand(slack, env, 'history acme');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await slack.waitFor(
      () => slack.accepted('files.completeUploadExternal').length === 1,
      'the upload',
      20_000,
    );
    const shared = slack.workspace.channels.get(CHANNEL)?.messages.filter((m) => m.files) ?? [];
    expect(shared).toHaveLength(1);
    const [title, incidents, downtime, mttr] = shared[0]?.text.split('\n') ?? [];
    expect([title, incidents]).toEqual(['*Acme Cloud: last 90 days*', 'Incidents: 1 (1 major)']);
    expect(downtime?.replace('Total downtime: ', '')).toMatch(DURATION);
    expect(mttr?.replace('Mean time to resolve: ', '')).toMatch(DURATION);
    const slackPng = new Uint8Array(
      slack.files.files.get(shared[0]?.files?.[0] ?? '')?.bytes ?? [],
    );
    // Today had a major incident; the days before the bot's first poll have no data.
    expect(barColor(slackPng, 89, 90)).toBe(LEVEL_COLORS.major);
    expect(barColor(slackPng, 0, 90)).toBe(LEVEL_COLORS.nodata);

    const answer = await discord.interact({
      subcommand: 'history',
      options: { service: 'acme' },
      channel: discord.channels.incidents,
    });
    const message = answer.messages.at(-1);
    expect(message?.embeds[0]?.title).toBe('Acme Cloud: last 90 days');
    expect(message?.embeds[0]?.description).toContain('Incidents: 1 \\(1 major\\)');
    const attachment = (message?.attachments ?? [])[0] as { id: string } | undefined;
    const discordPng = new Uint8Array(
      discord.state.attachmentBytes.get(attachment?.id ?? '') ?? [],
    );
    expect(barColor(discordPng, 89, 90)).toBe(LEVEL_COLORS.major);
    expect(barColor(discordPng, 0, 90)).toBe(LEVEL_COLORS.nodata);
  }, 120_000);
});
