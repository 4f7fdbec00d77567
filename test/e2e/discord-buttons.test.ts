import { describe, expect, it } from 'vitest';
import { type FakeMessage, type InteractionRecord, PERMISSIONS } from '../fakes/discord/index.js';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import { discordEnv, startDiscord } from './discord-flow.js';

/**
 * Issue 12, done-when 3, with the real bot process: the buttons on a start message, pressed on
 * the fake Discord, change what the next polls post, once, and only for a member with Manage
 * Channels.
 */

const scope = e2eScope();
const EPHEMERAL = 64;
const UNTIL = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC';
const MOD = { id: '300000000000000002', username: 'mod' };

/** What the presser saw: ephemeral or not, and the text. */
function answerOf(record: InteractionRecord): string {
  expect(record.callbacks).toHaveLength(1);
  const data = record.callbacks[0]?.data as
    | { flags?: number; embeds?: { description?: string }[] }
    | undefined;
  const visibility = ((data?.flags ?? 0) & EPHEMERAL) === EPHEMERAL ? 'ephemeral' : 'in_channel';
  return `${visibility}: ${data?.embeds?.[0]?.description}`;
}

describe('Discord buttons on start messages, end to end', () => {
  it('Mute holds back one service here, Unsubscribe ends it, a member is refused', async () => {
    const discord = await startDiscord(scope);
    const acme = await scope.startAcmePage();
    const beta = await scope.startPage('Beta');
    beta.setComponent('API', 'operational');
    const env = await scope.botEnv({
      services: [acmeService(acme), { id: 'beta', name: 'Beta Cloud', url: beta.url }],
      extra: { ...discordEnv(discord), POLL_TIMEOUT_MS: '10000' },
    });
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started', 30_000);
    const channel = discord.channels.incidents;
    for (const service of ['acme', 'beta']) {
      await discord.interact({
        subcommand: 'subscribe',
        options: { service },
        channel,
        permissions: PERMISSIONS.manageChannels,
      });
    }
    await acme.waitForRequests('summary', acme.requestCount('summary') + 2, 15_000);
    await beta.waitForRequests('summary', beta.requestCount('summary') + 2, 15_000);

    const press = async (message: FakeMessage, customId: string, mod: boolean) =>
      answerOf(
        await discord.pressButton({
          message,
          customId,
          ...(mod ? { user: MOD, permissions: PERMISSIONS.manageChannels } : {}),
        }),
      );
    const roots = () => discord.messagesIn(channel.id).filter((m) => m.embeds[0]?.author);
    const rootOf = (name: string) =>
      discord.waitFor(() => roots().find((m) => m.embeds[0]?.title === name), {
        timeoutMs: 20_000,
        what: `the start message of ${name}`,
      });

    const first = openApiIncident(acme, 'Elevated API errors', 'We are investigating.');
    const acmeRoot = await rootOf('Elevated API errors');
    expect(await press(acmeRoot, 'ob:mute:acme', false)).toMatch(/^ephemeral: You can't/);
    expect(await press(acmeRoot, 'ob:mute:acme', true)).toMatch(
      new RegExp(
        `^in_channel: Acme Cloud is muted in this channel for 1h, until ${UNTIL}: no new Acme Cloud threads here until then, open ones still get their updates\\. /outage unmute acme ends it early\\.$`,
      ),
    );
    expect(await press(acmeRoot, 'ob:mute:acme', true)).toMatch(
      new RegExp(`^ephemeral: Acme Cloud is already muted in this channel until ${UNTIL}\\.$`),
    );

    // A new Acme incident is held back, Beta's is posted, the open Acme thread goes on.
    acme.setIncident({ name: 'Dashboard slow', impact: 'minor', body: 'Looking.' });
    acme.setIncident({ id: first, status: 'identified', body: 'A bad deploy was found.' });
    openApiIncident(beta, 'Beta API down', 'Investigating.');
    const betaRoot = await rootOf('Beta API down');
    const thread = await discord.waitFor(() => acmeRoot.thread, { what: 'the Acme thread' });
    await discord.waitFor(() => discord.messagesIn(thread.id).length === 1, {
      timeoutMs: 20_000,
      what: 'the Acme update in its thread',
    });
    await acme.waitForRequests('summary', acme.requestCount('summary') + 3, 15_000);
    expect(roots().map((m) => m.embeds[0]?.title)).toEqual([
      'Elevated API errors',
      'Beta API down',
    ]);

    expect(await press(betaRoot, 'ob:unsub:beta', false)).toMatch(/^ephemeral: You can't/);
    expect(await press(betaRoot, 'ob:unsub:beta', true)).toBe(
      'in_channel: This channel no longer follows Beta Cloud.',
    );
    expect(await press(betaRoot, 'ob:unsub:beta', true)).toBe(
      'ephemeral: This channel does not follow Beta Cloud. It follows Acme Cloud.',
    );
    openApiIncident(beta, 'Beta API down again', 'Investigating.');
    // Nobody here follows Beta now; a few polls on, nothing of it was posted.
    await acme.waitForRequests('summary', acme.requestCount('summary') + 3, 15_000);
    expect(roots().map((m) => m.embeds[0]?.title)).toEqual([
      'Elevated API errors',
      'Beta API down',
    ]);
  }, 120_000);
});
