import { describe, expect, it } from 'vitest';
import { type FakeDiscord, PERMISSIONS } from '../fakes/discord/index.js';
import type { StatusServer } from '../fakes/status-server.js';
import { type BotProcess, freePort } from '../helpers/bot-process.js';
import { e2eScope } from '../helpers/e2e-env.js';
import { discordEnv, startDiscord } from './discord-flow.js';

/**
 * DESIGN "Scale", issue 9: three bot processes on one Redis, one fake Discord, four services on
 * four fake status pages, four channels following all of them. Each page is polled once per
 * cycle (not once per replica), every channel gets every message once, and when the replica
 * holding the Discord gateway is SIGKILLed another takes it over within 30 s, with the default
 * DISCORD_GATEWAY_LEASE_MS.
 */

const scope = e2eScope();

const SERVICES = ['alpha', 'bravo', 'charlie', 'delta'];
const CYCLE_MS = 2_000;

const summaryRequestsBetween = (page: StatusServer, from: number, to: number) =>
  page.requests.filter((r) => r.endpoint === 'summary' && +r.at >= from && +r.at < to).length;

const holdsGateway = (bot: BotProcess) =>
  bot.running && bot.logs().some((l) => l.msg === 'discord: connected to the gateway');

describe('three replicas on one Redis', () => {
  it('poll each source once per cycle, post every message once, and hand the gateway on', async () => {
    const discord = await startDiscord(scope);
    const channels = [discord.channels.incidents, discord.channels.general];
    for (const name of ['ops', 'sre']) channels.push(discord.state.addChannel({ name }));
    const pages = await Promise.all(SERVICES.map((id) => scope.startPage(id)));
    const env = await scope.botEnv({
      store: 'redis',
      services: SERVICES.map((id, i) => ({ id, name: `Svc ${id}`, url: pages[i]?.url ?? '' })),
      extra: { ...discordEnv(discord), POLL_SCHEDULE: '*/2 * * * * *', LOG_LEVEL: 'info' },
    });
    const bots: BotProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const bot = scope.startBot({ ...env, PORT: String(await freePort()) });
      await bot.waitForLog('outage-bot started', 30_000);
      bots.push(bot);
    }
    expect(bots.filter(holdsGateway)).toHaveLength(1);
    expect(discord.gateway.stats.identifies).toBe(1);

    for (const channel of channels) {
      for (const service of SERVICES) {
        const answer = await subscribe(discord, channel, service);
        expect(answer.callbacks).toHaveLength(1);
      }
    }
    expect(discord.callsTo('POST /interactions/:id/:id/callback')).toHaveLength(16);
    await Promise.all(
      pages.map((p) => p.waitForRequests('summary', p.requestCount('summary') + 2)),
    );

    // Several incidents across the services, each opened, updated and resolved.
    const from = Date.now();
    const ids = pages
      .slice(0, 3)
      .map((page, i) =>
        page.setIncident({ name: `Outage ${i}`, impact: 'major', body: 'Investigating.' }),
      );
    await everyChannelHas(discord, channels, (c) => discord.messagesIn(c.id).length === 3);
    pages.slice(0, 3).forEach((page, i) => {
      page.setIncident({ id: ids[i], status: 'identified', body: `Cause ${i} found.` });
    });
    await everyChannelHas(discord, channels, (c) => threadsWith(discord, c.id, 1));
    const quiet = pages[3] as StatusServer;
    await quiet.waitForRequests('summary', quiet.requestCount('summary') + 6, 30_000);
    const to = Date.now();

    // Once per cycle: the window holds `cycles` scheduled ticks; a poll per replica would triple it.
    const cycles = Math.floor(to / CYCLE_MS) - Math.floor(from / CYCLE_MS);
    const perPage = pages.map((p) => summaryRequestsBetween(p, from, to));
    console.log(`cycles in window: ${cycles}; summary requests per page: ${perPage.join(', ')}`);
    expect(cycles).toBeGreaterThanOrEqual(5);
    for (const count of perPage) {
      expect(count).toBeGreaterThanOrEqual(cycles - 1);
      expect(count).toBeLessThanOrEqual(cycles + 1);
    }

    // The gateway holder dies; another replica logs in.
    const holder = bots.find(holdsGateway);
    const killedAt = Date.now();
    await holder?.kill('SIGKILL');
    const others = bots.filter((b) => b !== holder);
    await others[0]?.waitFor(
      () => others.some(holdsGateway),
      'another replica to take the gateway over',
      30_000,
    );
    console.log(`gateway taken over ${Date.now() - killedAt} ms after the SIGKILL`);
    expect(discord.gateway.stats.identifies).toBe(2);
    const answer = await subscribe(discord, channels[0] ?? discord.channels.incidents, 'delta');
    expect(answer.callbacks).toHaveLength(1);

    pages.slice(0, 3).forEach((page, i) => {
      page.resolveIncident(ids[i] ?? '', `Outage ${i} is over.`);
    });
    await discord.waitFor(() => discord.callsTo('PATCH /channels/:id/messages/:id').length === 12, {
      timeoutMs: 30_000,
      what: 'the edits of the twelve start messages',
    });
    await Promise.all(
      pages.map((p) => p.waitForRequests('summary', p.requestCount('summary') + 2)),
    );

    for (const channel of channels) {
      const roots = discord.messagesIn(channel.id);
      expect(roots.map((m) => m.embeds[0]?.title).sort()).toEqual([
        'Outage 0',
        'Outage 1',
        'Outage 2',
      ]);
      for (const root of roots) {
        const thread = root.thread ? discord.messagesIn(root.thread.id) : [];
        expect(thread.map((m) => m.embeds[0]?.title)).toEqual(['Identified', 'Resolved']);
      }
    }
    expect(discord.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(12);
    expect(discord.callsTo('PATCH /channels/:id/messages/:id')).toHaveLength(12);
  }, 240_000);
});

type Channel = FakeDiscord['channels']['incidents'];

function subscribe(discord: FakeDiscord, channel: Channel, service: string) {
  return discord.interact({
    subcommand: 'subscribe',
    options: { service },
    channel,
    permissions: PERMISSIONS.manageChannels,
  });
}

function threadsWith(discord: FakeDiscord, channelId: string, replies: number): boolean {
  const roots = discord.messagesIn(channelId);
  return roots.every((r) => r.thread && discord.messagesIn(r.thread.id).length === replies);
}

function everyChannelHas(
  discord: FakeDiscord,
  channels: Channel[],
  check: (c: Channel) => boolean,
) {
  return discord.waitFor(() => channels.every(check), {
    timeoutMs: 30_000,
    what: 'every channel to catch up',
  });
}
