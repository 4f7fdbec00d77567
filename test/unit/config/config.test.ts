import { describe, expect, it } from 'vitest';
import { PLATFORMS, platformConfig } from '../../../adapters/registry.js';
import { ConfigError, loadConfig as loadWith } from '../../../src/config.js';

/** The configuration as the bot loads it: core variables and every registered platform's. */
const loadConfig = (env: Record<string, string>) => loadWith(env, platformConfig(PLATFORMS));

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      REDIS_URL: undefined,
      DATA_DIR: './data',
      SLACK_API_URL: 'https://slack.com/api/',
      DISCORD_API_URL: 'https://discord.com/api',
      PORT: 3000,
      POLL_SCHEDULE: '* * * * *',
      OUTBOX_LEASE_MS: 20_000,
      WATCH: [],
      ALLOW_PRIVATE_SOURCE_URLS: false,
      LOG_LEVEL: 'info',
      MANAGE_POLICY: 'managers',
    });
  });

  it('parses lists, numbers and booleans', () => {
    const config = loadConfig({
      WATCH: 'github, cloudflare,,',
      PORT: '8080',
      ALLOW_PRIVATE_SOURCE_URLS: 'true',
      POLL_SCHEDULE: '*/30 * * * * *',
      SLACK_MANAGERS: 'U1,U2',
      OUTBOX_LEASE_MS: '5000',
    });
    expect(config.OUTBOX_LEASE_MS).toBe(5_000);
    expect(config.WATCH).toEqual(['github', 'cloudflare']);
    expect(config.PORT).toBe(8080);
    expect(config.ALLOW_PRIVATE_SOURCE_URLS).toBe(true);
    expect(config.POLL_SCHEDULE).toBe('*/30 * * * * *');
    expect(config.SLACK_MANAGERS).toEqual(['U1', 'U2']);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT', 'PORT=3000'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT', 'PORT=3000'],
    [
      { POLL_SCHEDULE: 'every minute' },
      'POLL_SCHEDULE is not a valid cron expression',
      'POLL_SCHEDULE=*/30 * * * * *',
    ],
    [
      { REDIS_URL: 'http://localhost' },
      'REDIS_URL must start with redis://',
      'REDIS_URL=redis://127.0.0.1:6379',
    ],
    [{ OUTBOX_LEASE_MS: '1000' }, 'OUTBOX_LEASE_MS', 'OUTBOX_LEASE_MS=20000'],
    [{ OUTBOX_LEASE_MS: '700000' }, 'OUTBOX_LEASE_MS', 'OUTBOX_LEASE_MS=20000'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL is invalid', 'LOG_LEVEL=info'],
    [
      { ALLOW_PRIVATE_SOURCE_URLS: 'maybe' },
      'ALLOW_PRIVATE_SOURCE_URLS is invalid',
      'ALLOW_PRIVATE_SOURCE_URLS=false',
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxp-user' },
      'SLACK_BOT_TOKEN must be a bot token',
      'SLACK_BOT_TOKEN=xoxb-',
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1-2-3' },
      'SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET=',
    ],
    [{ SLACK_APP_TOKEN: 'xapp-1-2' }, 'SLACK_BOT_TOKEN is required', 'SLACK_BOT_TOKEN=xoxb-'],
    [
      { REDIS_SENTINELS: 'sentinel-1' },
      'REDIS_SENTINELS must be host:port pairs',
      'REDIS_SENTINELS=sentinel-1:26379,',
    ],
    [
      { REDIS_SENTINELS: 's1:26379' },
      'REDIS_SENTINEL_NAME is required with REDIS_SENTINELS',
      'REDIS_SENTINEL_NAME=mymaster',
    ],
    [
      { REDIS_SENTINEL_NAME: 'mymaster' },
      'REDIS_SENTINELS is required with REDIS_SENTINEL_NAME',
      'REDIS_SENTINELS=sentinel-1:26379',
    ],
    [
      { REDIS_CLUSTER_NODES: 'r1:6379', REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'm' },
      'REDIS_CLUSTER_NODES cannot be combined with REDIS_SENTINELS',
      'REDIS_CLUSTER_NODES=redis-1:6379',
    ],
    [
      { REDIS_CLUSTER_NODES: 'r1:6379', REDIS_KEY_PREFIX: 'outage-bot:' },
      'REDIS_KEY_PREFIX must contain a hash tag with REDIS_CLUSTER_NODES',
      'REDIS_KEY_PREFIX={outage-bot}:',
    ],
    [
      { REDIS_CLUSTER_NODES: 'r1:6379', REDIS_KEY_PREFIX: 'ob{}:' },
      'REDIS_KEY_PREFIX must contain a hash tag',
      'REDIS_KEY_PREFIX={outage-bot}:',
    ],
    [
      { DISCORD_GUILD_ID: 'my-guild' },
      'DISCORD_GUILD_ID must be a numeric guild id',
      'DISCORD_GUILD_ID=1234',
    ],
  ])('rejects %o with one line naming the variable and an example', (env, problem, example) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(problem);
    expect(message).toContain(`for example ${example}`);
    expect(message).not.toContain('\n');
  });

  it('reads Sentinel and Cluster nodes as host and port', () => {
    const sentinel = loadConfig({
      REDIS_SENTINELS: 's1:26379, 10.0.0.2:26380,',
      REDIS_SENTINEL_NAME: 'mymaster',
    });
    expect(sentinel.REDIS_SENTINELS).toEqual([
      { host: 's1', port: 26379 },
      { host: '10.0.0.2', port: 26380 },
    ]);
    expect(sentinel.REDIS_CLUSTER_NODES).toEqual([]);
    const cluster = loadConfig({
      REDIS_CLUSTER_NODES: 'r1:7000,r2:7001',
      REDIS_KEY_PREFIX: 'a{b}:',
    });
    expect(cluster.REDIS_CLUSTER_NODES).toEqual([
      { host: 'r1', port: 7000 },
      { host: 'r2', port: 7001 },
    ]);
    expect(cluster.REDIS_KEY_PREFIX).toBe('a{b}:');
  });

  it.each([
    // Values that share no three characters with the rule each one breaks.
    ['SLACK_BOT_TOKEN', 'Q9Z7WQ-J3K8V'],
    ['SLACK_SIGNING_SECRET', 'Q7ZW'],
    ['SLACK_APP_TOKEN', 'QZ7W-J3K8X'],
    ['DISCORD_TOKEN', 'QZ7W9K'],
    ['REDIS_URL', 'tcp:QZ7W@H9K'],
    ['WEBHOOK_TOKEN', 'QZ7W9KJ3'],
  ])('never echoes any part of a secret: %s', (name, value) => {
    let message = '';
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name} .*\\(value not shown\\)`));
    // No run of three characters from the value (the variable's own name and example aside).
    const shown = message.replace(name, '').replace(/for example .*$/, '');
    for (let i = 0; i + 3 <= value.length; i += 1) {
      expect(shown).not.toContain(value.slice(i, i + 3));
    }
  });
});
