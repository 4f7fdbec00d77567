import { validate as validateCron } from 'node-cron';
import { z } from 'zod';

/**
 * Every environment variable the bot reads, in one schema. DESIGN.md's contract table and the
 * README's config table list the same names; `example` is shown when a value is rejected.
 */
const SPEC = {
  REDIS_URL: {
    example: 'redis://127.0.0.1:6379',
    schema: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  },
  REDIS_KEY_PREFIX: { example: 'outage-bot:', schema: z.string().min(1).default('outage-bot:') },
  DATA_DIR: { example: './data', schema: z.string().min(1).default('./data') },
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
  MANAGE_POLICY: {
    example: 'managers',
    schema: z.enum(['everyone', 'managers']).default('managers'),
  },
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
  PORT: { example: '3000', schema: z.coerce.number().int().min(0).max(65535).default(3000) },
  POLL_SCHEDULE: {
    example: '*/30 * * * * *',
    schema: z
      .string()
      .default('* * * * *')
      .refine((v) => validateCron(v), 'is not a valid cron expression'),
  },
  POLL_JITTER_MS: {
    example: '5000',
    schema: z.coerce.number().int().min(0).max(600_000).default(5_000),
  },
  POLL_CONCURRENCY: { example: '16', schema: z.coerce.number().int().min(1).max(1000).default(16) },
  POLL_TIMEOUT_MS: {
    example: '10000',
    schema: z.coerce.number().int().min(100).max(120_000).default(10_000),
  },
  OUTBOX_LEASE_MS: {
    example: '20000',
    schema: z.coerce.number().int().min(5_000).max(600_000).default(20_000),
  },
  SERVICES_FILE: { example: './services.yml', schema: z.string().min(1).optional() },
  WATCH: { example: 'github,cloudflare', schema: z.string().default('').transform(splitList) },
  ALLOW_PRIVATE_SOURCE_URLS: {
    example: 'false',
    schema: z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default('false')
      .transform((v) => ['true', '1', 'yes'].includes(v)),
  },
  WEBHOOK_TOKEN: { example: 'a-long-random-string', schema: z.string().min(16).optional() },
  PROBE_CONTROL_URLS: {
    example: 'https://www.wikipedia.org/,https://www.debian.org/',
    schema: z
      .string()
      .default(
        'https://www.wikipedia.org/,https://www.debian.org/,https://www.kernel.org/,https://www.iana.org/',
      )
      .transform(splitList)
      .pipe(z.array(z.url())),
  },
  PROBE_FAILURES: { example: '3', schema: z.coerce.number().int().min(1).max(100).default(3) },
  PROBE_RECOVERIES: { example: '2', schema: z.coerce.number().int().min(1).max(100).default(2) },
  PROBE_RECHECK_MS: {
    example: '15000',
    schema: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  },
  LOG_LEVEL: {
    example: 'info',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
  LOG_FORMAT: { example: 'json', schema: z.enum(['json', 'pretty', 'auto']).default('auto') },
} as const;

type Spec = typeof SPEC;
export type Config = { [K in keyof Spec]: z.output<Spec[K]['schema']> };
export const CONFIG_VARIABLES = Object.keys(SPEC) as (keyof Spec)[];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
    example: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}; for example ${variable}=${example}`);
    this.name = 'ConfigError';
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Validates the environment. Throws a ConfigError whose message is one line naming the fix. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const out: Record<string, unknown> = {};
  for (const name of CONFIG_VARIABLES) {
    const { schema, example } = SPEC[name];
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = (schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const shown =
        raw === undefined
          ? 'unset'
          : isSecret(name)
            ? 'value not shown'
            : `got ${JSON.stringify(raw)}`;
      throw new ConfigError(name, `${describeIssue(issue)} (${shown})`, example);
    }
    out[name] = parsed.data;
  }
  const config = out as Config;
  checkCombinations(config);
  return config;
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is invalid';
  const message = issue.message;
  if (issue.code === 'invalid_value' || issue.code === 'invalid_type') {
    return `is invalid: ${message}`;
  }
  return message.startsWith('must') || message.startsWith('is ')
    ? message
    : `is invalid: ${message}`;
}

/**
 * Secrets are never echoed back, not even a prefix: error messages end up in logs and issue
 * reports. REDIS_URL counts, since it may carry a password.
 */
function isSecret(name: string): boolean {
  return /TOKEN|SECRET|PASSWORD|REDIS_URL/.test(name);
}

function checkCombinations(config: Config): void {
  if (config.SLACK_BOT_TOKEN && !config.SLACK_SIGNING_SECRET && !config.SLACK_APP_TOKEN) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET',
      'is required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      SPEC.SLACK_SIGNING_SECRET.example,
    );
  }
  if ((config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN) && !config.SLACK_BOT_TOKEN) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN',
      'is required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set',
      SPEC.SLACK_BOT_TOKEN.example,
    );
  }
}

export const slackEnabled = (c: Config): boolean => Boolean(c.SLACK_BOT_TOKEN);
export const discordEnabled = (c: Config): boolean => Boolean(c.DISCORD_TOKEN);
