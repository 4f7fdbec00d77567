import { Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAULTS, type FakeDiscord, startFakeDiscord } from '../../fakes/discord/index.js';

/** The fake must be faithful enough that the unmodified discord.js client works against it. */
describe('fake Discord with the real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;

  beforeEach(async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 200 });
    client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: fake.apiUrl, offset: 0 },
    });
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(fake.token);
    await ready;
  });

  afterEach(async () => {
    await client.destroy();
    await fake.close();
  });

  it('logs in through gateway discovery, gets READY and the guild with its channels', () => {
    expect(fake.callsTo('GET /gateway/bot')).toHaveLength(1);
    expect(client.application?.id).toBe(fake.appId);
    expect(
      client.guilds.cache.get(fake.guildId)?.channels.cache.has(fake.channels.incidents.id),
    ).toBe(true);
    expect(fake.gateway.lastIntents).toBe(GatewayIntentBits.Guilds);
  });

  it('answers heartbeats, so the connection stays up across several intervals', async () => {
    await fake.waitFor(() => fake.gateway.stats.heartbeats >= 3, { timeoutMs: 3_000 });
    expect(fake.gateway.stats.identifies).toBe(1);
    expect(fake.gateway.stats.connections).toBe(1);
  });

  it('resumes after op 7 and still receives dispatches', async () => {
    fake.gateway.requestReconnect();
    await fake.waitFor(() => fake.gateway.stats.resumes === 1, { what: 'RESUME' });
    expect(fake.gateway.stats.identifies).toBe(1);
    const seen = new Promise((resolve) => client.once(Events.ChannelCreate, resolve));
    fake.gateway.dispatch('CHANNEL_CREATE', {
      id: '400000000000000001',
      type: 0,
      guild_id: fake.guildId,
      name: 'late',
      position: 9,
      permission_overwrites: [],
    });
    await seen;
  });

  it('records calls with auth, and answers a queued 429 that discord.js waits out', async () => {
    fake.addFault({ route: 'POST /channels/:id/messages', fault: FAULTS.rateLimit(0.2), times: 1 });
    const started = Date.now();
    await client.rest.post(Routes.channelMessages(fake.channels.incidents.id), {
      body: { content: 'hello', allowed_mentions: { parse: [] } },
    });
    const posts = fake.callsTo('POST /channels/:id/messages');
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[1]?.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(fake.messagesIn(fake.channels.incidents.id)).toHaveLength(1);
  });

  it('throttles on its own bucket headers instead of overrunning them', async () => {
    fake.setBuckets({ 'POST /channels/:id/messages': { limit: 2, windowMs: 300 } });
    const channel = fake.channels.general.id;
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        client.rest.post(Routes.channelMessages(channel), { body: { content: `m${n}` } }),
      ),
    );
    const statuses = fake.callsTo('POST /channels/:id/messages').map((c) => c.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(fake.messagesIn(channel).map((m) => m.content)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('returns the same message for a repeated nonce with enforce_nonce', async () => {
    const body = { content: 'once', nonce: 'abc', enforce_nonce: true };
    const route = Routes.channelMessages(fake.channels.incidents.id);
    const a = (await client.rest.post(route, { body })) as { id: string };
    const b = (await client.rest.post(route, { body })) as { id: string };
    expect(b.id).toBe(a.id);
    expect(fake.messagesIn(fake.channels.incidents.id)).toHaveLength(1);
  });

  it('with afterEffect, a delay holds the answer of a request that already took effect', async () => {
    const channel = fake.channels.incidents.id;
    const inChannel = () => fake.messagesIn(channel).length;
    const send = (content: string) =>
      client.rest.post(Routes.channelMessages(channel), { body: { content } }) as Promise<{
        id: string;
      }>;
    const route = 'POST /channels/:id/messages';
    fake.addFault({ route, fault: FAULTS.delay(400), times: 1, afterEffect: true });
    const held = send('held');
    await fake.waitFor(() => inChannel() === 1, { what: 'the held message' });
    expect(fake.callsTo(route)[0]?.status).toBe(0); // stored, not yet answered
    expect((await held).id).toBe(fake.messagesIn(channel)[0]?.id);
    expect(fake.callsTo(route)[0]?.status).toBe(200);

    // Without afterEffect the delay still comes first: nothing exists while the request waits.
    fake.addFault({ route, fault: FAULTS.delay(400), times: 1 });
    const delayed = send('delayed');
    await fake.waitFor(() => fake.callsTo(route).length === 2, { what: 'the delayed request' });
    expect(inChannel()).toBe(1);
    await delayed;
    expect(inChannel()).toBe(2);
  });

  it('gives one thread per message and refuses a second with 160004', async () => {
    const channel = fake.channels.incidents.id;
    const msg = (await client.rest.post(Routes.channelMessages(channel), {
      body: { content: 'root' },
    })) as { id: string };
    const thread = (await client.rest.post(Routes.threads(channel, msg.id), {
      body: { name: 'Incident' },
    })) as { id: string };
    expect(thread.id).toBe(msg.id);
    await expect(
      client.rest.post(Routes.threads(channel, msg.id), { body: { name: 'again' } }),
    ).rejects.toMatchObject({ code: 160004 });
  });
});
