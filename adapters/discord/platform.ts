import { z } from 'zod';
import { definePlatform } from '../platform.js';
import { createDiscordAdapter } from './adapter.js';
import { discordMentionSyntax } from './mention-syntax.js';

const DISCORD_CONFIG = {
  DISCORD_TOKEN: { example: 'MTA4...your-bot-token', schema: z.string().min(20).optional() },
  DISCORD_API_URL: {
    example: 'https://discord.com/api',
    schema: z.url().default('https://discord.com/api'),
  },
  DISCORD_GUILD_ID: {
    example: '123456789012345678',
    schema: z
      .string()
      .regex(/^\d{15,22}$/, 'must be a numeric guild id')
      .optional(),
  },
} as const;

/** Discord: enabled by DISCORD_TOKEN; one replica at a time holds the gateway session. */
export const discordPlatform = definePlatform({
  platform: 'discord',
  config: { spec: DISCORD_CONFIG },
  mentions: discordMentionSyntax,
  create: (settings, { logger, commands, services, now, instanceId }) =>
    settings.DISCORD_TOKEN
      ? createDiscordAdapter({
          token: settings.DISCORD_TOKEN,
          apiUrl: settings.DISCORD_API_URL,
          guildId: settings.DISCORD_GUILD_ID,
          logger: logger.child({ adapter: 'discord' }),
          commands,
          services,
          now,
          instanceId,
        })
      : undefined,
});
