import { type FakeDiscord, PERMISSIONS, startFakeDiscord } from '../fakes/discord/index.js';
import type { E2eScope } from '../helpers/e2e-env.js';

const TOKEN = 'fake.discord.token.for-e2e-tests';

/** The fake Discord, closed after the test. */
export async function startDiscord(scope: E2eScope): Promise<FakeDiscord> {
  return scope.track(await startFakeDiscord({ token: TOKEN }));
}

/** The bot's settings for `discord`. */
export const discordEnv = (discord: FakeDiscord): Record<string, string> => ({
  DISCORD_TOKEN: TOKEN,
  DISCORD_API_URL: discord.apiUrl,
  DISCORD_GUILD_ID: discord.guildId,
});

type Channel = FakeDiscord['channels']['incidents'];
type Answer = Awaited<ReturnType<FakeDiscord['interact']>>;

/** A member with Manage Channels runs `/outage subscribe service:acme` in `channel`. */
export const subscribeAcme = (discord: FakeDiscord, channel: Channel): Promise<Answer> =>
  discord.interact({
    subcommand: 'subscribe',
    options: { service: 'acme' },
    channel,
    permissions: PERMISSIONS.manageChannels,
  });

/** The reply the member saw: the immediate one, or the follow-up of a deferred one. */
export const replyOf = (answer: Answer): unknown =>
  answer.callbacks[0]?.type === 5 ? answer.messages[0] : answer.callbacks[0]?.data;

/** Waits for the one edit of a start message (the resolution). */
export const waitForRootEdit = (discord: FakeDiscord, timeoutMs: number): Promise<unknown> =>
  discord.waitFor(() => discord.callsTo('PATCH /channels/:id/messages/:id').length === 1, {
    timeoutMs,
    what: 'the edit of the start message',
  });
