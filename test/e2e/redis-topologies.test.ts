import { describe, expect, it } from 'vitest';
import type { StatusServer } from '../fakes/status-server.js';
import { type BotProcess, countMatches } from '../helpers/bot-process.js';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import { startCluster, startSentinelSetup, waitUntil } from '../helpers/redis-topology.js';

/**
 * The real bot on Redis as operators run it, both started here on free ports: a primary and a
 * replica under three sentinels, where the primary dies mid-incident and the replica takes over;
 * and a three-primary Cluster. The console feed shows what a channel would get.
 */

const scope = e2eScope();

/** The lines of one incident, counted over everything the bot printed. */
function expectEachMessageOnce(out: string, id: string, updates: string[]) {
  const tag = `\\[acme:${id}\\]`;
  expect(countMatches(out, new RegExp(`^┏ ${tag} 🟠 Incident started: Acme Cloud`))).toBe(1);
  for (const update of updates) {
    expect(countMatches(out, new RegExp(`^ {2}↳ ${tag} Update \\(${update}\\)`)), update).toBe(1);
  }
  expect(countMatches(out, new RegExp(`^ {2}↳ ${tag} ✅ Resolved after \\d`))).toBe(1);
  expect(countMatches(out, new RegExp(`^ {2}✎ ${tag} start message now reads: Resolved`))).toBe(1);
  // Nothing else: one start, the updates, one resolution, one edit.
  expect(countMatches(out, /^┏ |^ {2}[↳✎] /)).toBe(updates.length + 3);
}

async function update(
  bot: BotProcess,
  page: StatusServer,
  id: string,
  status: 'identified' | 'monitoring',
) {
  const label = status[0]?.toUpperCase() + status.slice(1);
  page.setIncident({ id, status, body: `Now ${status}.` });
  await bot.waitFor(() => bot.stdout.includes(`Update (${label}): Now ${status}.`), status, 30_000);
}

describe('Redis Sentinel', () => {
  it('follows the promoted replica when the primary dies mid-incident; every message once', async () => {
    const sentinel = await startSentinelSetup();
    scope.defer(() => sentinel.stop());
    const page = await scope.startAcmePage();
    const env = await scope.botEnv({
      services: [acmeService(page)],
      watch: true,
      extra: {
        REDIS_SENTINELS: sentinel.sentinelList,
        REDIS_SENTINEL_NAME: sentinel.masterName,
        REDIS_KEY_PREFIX: 'sentinel-e2e:',
      },
    });
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started', 30_000);
    const using = bot.logs().find((l) => l.msg === 'using redis store');
    expect(String(using?.redis)).toContain(`sentinel ${sentinel.masterName} via 127.0.0.1:`);
    await page.waitForRequests('summary', 2);

    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    await bot.waitFor(() => bot.stdout.includes(`┏ [acme:${id}]`), 'the start message', 30_000);
    await update(bot, page, id, 'identified');

    // Replication is asynchronous: kill once the replica holds every write, as a failover that
    // loses nothing would. The kill itself is abrupt (SIGKILL, no shutdown save).
    await sentinel.replicaCaughtUp();
    await bot.waitForLog('delivered');
    await sentinel.primary.kill();
    page.setIncident({ id, status: 'monitoring', body: 'Now monitoring.' });
    await waitUntil(
      async () => (await sentinel.primaryPort()) === sentinel.replica.port,
      'the sentinels to promote the replica',
      30_000,
    );
    await bot.waitFor(
      () => bot.stdout.includes('Update (Monitoring): Now monitoring.'),
      'the update after the failover',
      30_000,
    );
    page.resolveIncident(id, 'Error rates are back to normal.');
    await bot.waitFor(() => bot.stdout.includes('✎'), 'the root edit', 30_000);
    const settled = page.requestCount('summary');
    await page.waitForRequests('summary', settled + 3);

    expect(bot.running).toBe(true);
    expectEachMessageOnce(bot.stdout, id, ['Identified', 'Monitoring']);
    // The bot's state is on the promoted replica, which is a primary now.
    const role = await sentinel.replica.query((r) => r.call('ROLE') as Promise<unknown[]>);
    expect(role[0]).toBe('master');
    expect(await sentinel.replica.query((r) => r.exists(`sentinel-e2e:state:acme`))).toBe(1);
  }, 180_000);
});

describe('Redis Cluster', () => {
  it('walks an incident with every key in one hash-tagged slot; every message once', async () => {
    const cluster = await startCluster();
    scope.defer(() => cluster.stop());
    const page = await scope.startAcmePage();
    const env = await scope.botEnv({
      services: [acmeService(page)],
      watch: true,
      extra: { REDIS_CLUSTER_NODES: cluster.nodeList },
    });
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started', 30_000);
    const using = bot.logs().find((l) => l.msg === 'using redis store');
    expect(using?.keyPrefix).toBe('{outage-bot}:');
    await page.waitForRequests('summary', 2);

    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    await bot.waitFor(() => bot.stdout.includes(`┏ [acme:${id}]`), 'the start message', 30_000);
    await update(bot, page, id, 'identified');
    await update(bot, page, id, 'monitoring');
    page.resolveIncident(id, 'Error rates are back to normal.');
    await bot.waitFor(() => bot.stdout.includes('✎'), 'the root edit', 30_000);
    const settled = page.requestCount('summary');
    await page.waitForRequests('summary', settled + 3);

    expect(bot.running).toBe(true);
    expectEachMessageOnce(bot.stdout, id, ['Identified', 'Monitoring']);
    // All of the bot's keys sit on the one node that serves the tag's slot.
    const perNode = await Promise.all(cluster.nodes.map((n) => n.query((r) => r.dbsize())));
    expect(perNode.filter((keys) => keys > 0)).toHaveLength(1);
    const slot = await cluster.nodes[0]?.query((r) => r.cluster('KEYSLOT', '{outage-bot}:x'));
    const owner = cluster.nodes[perNode.findIndex((keys) => keys > 0)];
    const keys = await owner?.query((r) => r.keys('*'));
    expect(keys?.length).toBeGreaterThan(3);
    for (const key of keys ?? []) {
      expect(key.startsWith('{outage-bot}:'), key).toBe(true);
      expect(await owner?.query((r) => r.cluster('KEYSLOT', key))).toBe(slot);
    }
  }, 180_000);
});
