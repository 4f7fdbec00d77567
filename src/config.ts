import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { prefixHasHashTag } from './store/redis/hash-tag.js';

/** One environment variable: its schema, and the value shown as an example when it is rejected. */
export interface ConfigVariable {
  example: string;
  schema: z.ZodType;
}

export type ConfigSpec = Readonly<Record<string, ConfigVariable>>;

/** What loadConfig makes of the variables of `S`. */
export type ConfigValues<S extends ConfigSpec> = {
  -readonly [K in keyof S]: z.output<S[K]['schema']>;
};

/**
 * Variables that belong to one part of the bot (a chat platform), handed to loadConfig as data by
 * the composition root so that core code never imports the part. `check` rejects combinations.
 */
export interface ConfigFragment<S extends ConfigSpec = ConfigSpec> {
  spec: S;
  check?(values: ConfigValues<S>): void;
}

/**
 * The core variables. Each chat platform adds its own fragment; DESIGN.md's contract table and the
 * README's config table list the union.
 */
const CORE_SPEC = {
  REDIS_URL: {
    example: 'redis://127.0.0.1:6379',
    schema: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  },
  REDIS_SENTINELS: {
    example: 'sentinel-1:26379,sentinel-2:26379,sentinel-3:26379',
    schema: hostPortList(),
  },
  REDIS_SENTINEL_NAME: {
    example: 'mymaster',
    schema: z.string().regex(/^\S+$/, 'must be the master name the sentinels monitor').optional(),
  },
  REDIS_CLUSTER_NODES: {
    example: 'redis-1:6379,redis-2:6379,redis-3:6379',
    schema: hostPortList(),
  },
  REDIS_KEY_PREFIX: {
    example: '{outage-bot}:',
    schema: z.string().min(1).optional(),
  },
  DATA_DIR: { example: './data', schema: z.string().min(1).default('./data') },
  MANAGE_POLICY: {
    example: 'managers',
    schema: z.enum(['everyone', 'managers']).default('managers'),
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
  REPORT_THRESHOLD: { example: '5', schema: z.coerce.number().int().min(1).max(10_000).default(5) },
  REPORT_WINDOW_MS: {
    example: '600000',
    schema: z.coerce.number().int().min(60_000).max(3_600_000).default(600_000),
  },
  REPORT_HOLD_MS: {
    example: '900000',
    schema: z.coerce.number().int().min(0).max(86_400_000).default(900_000),
  },
  REPORT_USER_LIMIT: {
    example: '10',
    schema: z.coerce.number().int().min(1).max(1000).default(10),
  },
  REPORT_CHANNEL_LIMIT: {
    example: '30',
    schema: z.coerce.number().int().min(1).max(100_000).default(30),
  },
  SIGNAL_WINDOW_MS: {
    example: '1800000',
    schema: z.coerce.number().int().min(60_000).max(86_400_000).default(1_800_000),
  },
  SIGNAL_HOLD_MS: {
    example: '600000',
    schema: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  },
  GROUP_WINDOW_MS: {
    example: '60000',
    schema: z.coerce.number().int().min(0).max(600_000).default(60_000),
  },
  GROUP_MIN_SERVICES: {
    example: '3',
    schema: z.coerce.number().int().min(2).max(100).default(3),
  },
  LOG_LEVEL: {
    example: 'info',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
  LOG_FORMAT: { example: 'json', schema: z.enum(['json', 'pretty', 'auto']).default('auto') },
} as const satisfies ConfigSpec;

/** `host:port` pairs, comma-separated; empty when unset. */
function hostPortList() {
  return z
    .string()
    .default('')
    .transform(splitList)
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[^\s:,]+:\d{1,5}$/, 'must be host:port pairs, comma-separated')
          .transform((pair) => {
            const at = pair.lastIndexOf(':');
            return { host: pair.slice(0, at), port: Number(pair.slice(at + 1)) };
          }),
      ),
    );
}

/** The core settings, typed. */
export type Config = ConfigValues<typeof CORE_SPEC>;
/** The core settings plus every fragment's, which the fragment's owner reads by its own spec. */
export type LoadedConfig = Config & { readonly [variable: string]: unknown };

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

/** A comma-separated list, blanks dropped: `U1, U2,` -> ['U1', 'U2']. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Every variable loadConfig reads with these fragments, core first. */
export function configVariables(fragments: readonly ConfigFragment[] = []): string[] {
  return Object.keys(composeSpec(fragments));
}

function composeSpec(fragments: readonly ConfigFragment[]): ConfigSpec {
  const spec: Record<string, ConfigVariable> = { ...CORE_SPEC };
  for (const fragment of fragments) {
    for (const [name, variable] of Object.entries(fragment.spec)) {
      if (name in spec) throw new Error(`config: variable ${name} is declared twice`);
      spec[name] = variable;
    }
  }
  return spec;
}

/** Validates the environment. Throws a ConfigError whose message is one line naming the fix. */
export function loadConfig(
  env: Record<string, string | undefined>,
  fragments: readonly ConfigFragment[] = [],
): LoadedConfig {
  const out: Record<string, unknown> = {};
  for (const [name, { schema, example }] of Object.entries(composeSpec(fragments))) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = schema.safeParse(raw);
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
  checkRedisTopology(out as Config);
  for (const fragment of fragments) fragment.check?.(out);
  return out as LoadedConfig;
}

/** Sentinel and Cluster settings that only make sense together, or not at all. */
function checkRedisTopology(config: Config): void {
  const sentinels = config.REDIS_SENTINELS.length > 0;
  if (sentinels && !config.REDIS_SENTINEL_NAME) {
    throw new ConfigError(
      'REDIS_SENTINEL_NAME',
      'is required with REDIS_SENTINELS (the master name the sentinels monitor)',
      'mymaster',
    );
  }
  if (!sentinels && config.REDIS_SENTINEL_NAME) {
    throw new ConfigError(
      'REDIS_SENTINELS',
      'is required with REDIS_SENTINEL_NAME',
      'sentinel-1:26379,sentinel-2:26379',
    );
  }
  const cluster = config.REDIS_CLUSTER_NODES.length > 0;
  if (sentinels && cluster) {
    throw new ConfigError(
      'REDIS_CLUSTER_NODES',
      'cannot be combined with REDIS_SENTINELS (a Cluster fails over on its own)',
      'redis-1:6379,redis-2:6379,redis-3:6379',
    );
  }
  const prefix = config.REDIS_KEY_PREFIX;
  if (cluster && prefix !== undefined && !prefixHasHashTag(prefix)) {
    // Every Lua script touches many keys at once; on a Cluster they must share one slot.
    throw new ConfigError(
      'REDIS_KEY_PREFIX',
      `must contain a hash tag with REDIS_CLUSTER_NODES (got ${JSON.stringify(prefix)})`,
      '{outage-bot}:',
    );
  }
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
