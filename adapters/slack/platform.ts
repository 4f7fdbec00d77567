import { z } from 'zod';
import { ConfigError, splitList } from '../../src/config.js';
import { definePlatform } from '../platform.js';
import { slackMentionSyntax } from './mention-syntax.js';
import { createSlackAdapter } from './slack-adapter.js';

const SLACK_CONFIG = {
  SLACK_BOT_TOKEN: {
    example: 'xoxb-1234-5678-abcd',
    schema: z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(),
  },
  SLACK_SIGNING_SECRET: {
    example: '8f742231b10e8888abcd99yyyzzz85a5',
    schema: z.string().min(8).optional(),
  },
  SLACK_APP_TOKEN: {
    example: 'xapp-1-A0123-4567-abcd',
    schema: z
      .string()
      .startsWith('xapp-', 'must be an app-level token starting with xapp-')
      .optional(),
  },
  SLACK_API_URL: {
    example: 'https://slack.com/api/',
    schema: z.url().default('https://slack.com/api/'),
  },
  SLACK_MANAGERS: {
    example: 'U012AB3CD,U045EF6GH',
    schema: z.string().default('').transform(splitList),
  },
} as const;

/** Slack: enabled by SLACK_BOT_TOKEN, over HTTP (signing secret) or Socket Mode (app token). */
export const slackPlatform = definePlatform({
  platform: 'slack',
  config: {
    spec: SLACK_CONFIG,
    check(values) {
      if (values.SLACK_BOT_TOKEN && !values.SLACK_SIGNING_SECRET && !values.SLACK_APP_TOKEN) {
        throw new ConfigError(
          'SLACK_SIGNING_SECRET',
          'is required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
          SLACK_CONFIG.SLACK_SIGNING_SECRET.example,
        );
      }
      if ((values.SLACK_SIGNING_SECRET || values.SLACK_APP_TOKEN) && !values.SLACK_BOT_TOKEN) {
        throw new ConfigError(
          'SLACK_BOT_TOKEN',
          'is required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set',
          SLACK_CONFIG.SLACK_BOT_TOKEN.example,
        );
      }
    },
  },
  mentions: slackMentionSyntax,
  create: (settings, { logger, commands, services, now }) =>
    settings.SLACK_BOT_TOKEN
      ? createSlackAdapter({
          botToken: settings.SLACK_BOT_TOKEN,
          signingSecret: settings.SLACK_SIGNING_SECRET,
          appToken: settings.SLACK_APP_TOKEN,
          apiUrl: settings.SLACK_API_URL,
          managers: settings.SLACK_MANAGERS,
          logger: logger.child({ adapter: 'slack' }),
          commands,
          services,
          now,
        })
      : undefined,
});
