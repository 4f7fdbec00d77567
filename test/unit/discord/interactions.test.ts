import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/registry.js';
import { PERMISSIONS } from '../../fakes/discord/index.js';
import { type Harness, startHarness } from './harness.js';

const EPHEMERAL = 64;

/**
 * Resolves once the bot has deferred an interaction: a command that waits for it is slow by
 * construction, however late a loaded machine fires the adapter's deferral timer.
 */
const deferred = (h: Harness) =>
  h.fake.waitFor(
    () => [...h.fake.state.interactions.values()].some((r) => r.callbacks[0]?.type === 5),
    { timeoutMs: 20_000, what: 'the bot to defer the interaction' },
  );

describe('discord adapter: /outage interactions', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('logs in with only the Guilds intent and registers /outage to the dev guild', async () => {
    h = await startHarness({ adapter: { guildId: '200000000000000001' } });
    expect(h.fake.gateway.lastIntents).toBe(1);
    expect(h.fake.callsTo('PUT /applications/:id/guilds/:id/commands')).toHaveLength(1);
    expect(h.fake.callsTo('PUT /applications/:id/commands')).toHaveLength(0);
    expect(h.fake.registeredCommand()?.options).toHaveLength(COMMANDS.length);
  });

  it('registers only when the definitions changed', async () => {
    h = await startHarness();
    expect(h.fake.callsTo('PUT /applications/:id/commands')).toHaveLength(1);
    await h.adapter.stop();

    const same = h.makeAdapter();
    await same.start();
    expect(h.fake.callsTo('GET /applications/:id/commands')).toHaveLength(2);
    expect(h.fake.callsTo('PUT /applications/:id/commands')).toHaveLength(1);
    await same.stop();

    const changed = h.makeAdapter({ commands: COMMANDS.filter((c) => c.name !== 'help') });
    await changed.start();
    expect(h.fake.callsTo('PUT /applications/:id/commands')).toHaveLength(2);
    expect(h.fake.registeredCommand()?.options).toHaveLength(COMMANDS.length - 1);
  });

  it('refuses a subscription from a member without Manage Channels', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents;
    const answer = await h.fake.interact({
      subcommand: 'subscribe',
      options: { service: 'github' },
      channel,
      permissions: PERMISSIONS.member,
    });
    expect(answer.callbacks[0]?.type).toBe(4);
    expect(answer.callbacks[0]?.data?.flags).toBe(EPHEMERAL);
    const subs = await h.services.store.listSubscriptionsForService('github');
    expect(subs).toHaveLength(0);
  });

  it('subscribes for a member with Manage Channels and announces it in the channel', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents;
    const answer = await h.fake.interact({
      subcommand: 'subscribe',
      options: { service: 'GitHub', impact: 'major' },
      channel,
      permissions: PERMISSIONS.manageChannels,
    });
    const data = answer.callbacks[0]?.data ?? {};
    expect(data.flags ?? 0).toBe(0);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const subs = await h.services.store.listSubscriptionsForService('github');
    expect(subs.map((s) => [s.channel, s.filters.minImpact])).toEqual([
      [{ platform: 'discord', workspaceId: h.fake.guildId, channelId: channel.id }, 'major'],
    ]);
  });

  it('answers queries ephemerally', async () => {
    h = await startHarness();
    const answer = await h.fake.interact({ subcommand: 'list', channel: h.fake.channels.general });
    expect(answer.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
  });

  it('autocompletes service names, ranked, well within 3 s', async () => {
    h = await startHarness();
    const sent = Date.now();
    const answer = await h.fake.interact({
      subcommand: 'subscribe',
      options: { service: 'git' },
      focused: 'service',
      channel: h.fake.channels.incidents,
      permissions: PERMISSIONS.member,
    });
    const callback = answer.callbacks[0];
    expect(callback?.type).toBe(8);
    expect((callback?.at ?? Number.POSITIVE_INFINITY) - sent).toBeLessThan(3_000);
    const choices = (callback?.data?.choices ?? []) as { name: string; value: string }[];
    expect(choices.map((c) => c.value).slice(0, 2)).toEqual(['github', 'gitlab']);
    expect(choices.map((c) => c.value)).not.toContain('discord');
    expect(choices[0]?.name).toBe('GitHub (github)');
  });

  it('autocompletes an alias', async () => {
    h = await startHarness();
    const answer = await h.fake.interact({
      subcommand: 'status',
      options: { service: 'cf' },
      focused: 'service',
      channel: h.fake.channels.incidents,
    });
    const choices = (answer.callbacks[0]?.data?.choices ?? []) as { value: string }[];
    expect(choices[0]?.value).toBe('cloudflare');
  });

  it('defers a slow command and then edits the deferred reply', async () => {
    h = await startHarness();
    const { store } = h.services;
    const slowList = store.listSubscriptionsForChannel.bind(store);
    store.listSubscriptionsForChannel = async (channel) => {
      await deferred(h);
      return slowList(channel);
    };
    const answer = await h.fake.interact(
      { subcommand: 'list', channel: h.fake.channels.general },
      20_000,
    );
    expect(answer.callbacks[0]).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    expect(answer.messages).toHaveLength(1);
    expect(answer.messages[0]?.flags).toBe(EPHEMERAL);
    expect(answer.messages[0]?.embeds[0]?.description).toMatch(/^This channel follows no services/);
    expect(h.fake.callsTo('PATCH /webhooks/:id/:id/messages/@original')).toHaveLength(1);
    expect(h.fake.callsTo('POST /webhooks/:id/:id')).toHaveLength(0);
  });

  it('swaps a public deferral for a private follow-up when a slow command fails', async () => {
    h = await startHarness({
      services: {
        resolveStatusPageUrl: async () => {
          await deferred(h);
          return { ok: false, reason: 'that page is not a status page' };
        },
      },
    });
    const answer = await h.fake.interact(
      {
        subcommand: 'subscribe',
        options: { service: 'https://status.example.com' },
        channel: h.fake.channels.incidents,
        permissions: PERMISSIONS.manageChannels,
      },
      20_000,
    );
    expect(answer.callbacks[0]?.type).toBe(5);
    expect(answer.callbacks[0]?.data?.flags ?? 0).toBe(0);
    expect(answer.deletedOriginal).toBe(true);
    expect(answer.messages[1]?.flags).toBe(EPHEMERAL);
    expect(answer.messages[1]?.allowed_mentions).toEqual({ parse: [] });
  });

  it('resumes after the gateway drops and keeps answering', async () => {
    h = await startHarness();
    h.fake.gateway.dropConnections();
    await h.fake.waitFor(() => h.fake.gateway.stats.resumes === 1, { what: 'a RESUME' });
    h.fake.gateway.requestReconnect();
    await h.fake.waitFor(() => h.fake.gateway.stats.resumes === 2, { what: 'a second RESUME' });
    expect(h.fake.gateway.stats.identifies).toBe(1);
    const answer = await h.fake.interact({ subcommand: 'help', channel: h.fake.channels.general });
    expect(answer.callbacks[0]?.type).toBe(4);
  });
});
