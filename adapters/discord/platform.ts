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
  // A replica dying with the gateway is replaced within about 4/3 of this, plus a login: 15 s
  // keeps the takeover well inside 30 s; renewals (every 5 s) stay cheap.
  DISCORD_GATEWAY_LEASE_MS: {
    example: '15000',
    schema: z.coerce.number().int().min(3_000).max(120_000).default(15_000),
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
          gatewayLeaseMs: settings.DISCORD_GATEWAY_LEASE_MS,
        })
      : undefined,
});
