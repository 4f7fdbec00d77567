import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/index.js';
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
