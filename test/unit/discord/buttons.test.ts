import { afterEach, describe, expect, it } from 'vitest';
import { formatTime } from '../../../commands/format.js';
import { REFUSED_TEXT } from '../../../commands/registry.js';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { route } from '../../../src/incidents/router.js';
import type { ChannelRef, ThreadRef } from '../../../src/incidents/subscription.js';
import {
  type FakeMessage,
  type InteractionRecord,
  PERMISSIONS,
} from '../../fakes/discord/index.js';
import { reopenedEvent } from '../../helpers/events.js';
import { subscription } from '../../helpers/subscriptions.js';
import { discordDelivery, incidentEvent, laterEvent } from './events.js';
import { type Harness, startHarness } from './harness.js';

const EPHEMERAL = 64;
/** As the embed shows it: Discord markdown escapes the parentheses. */
const REFUSED_SHOWN = REFUSED_TEXT.replace('(', '\\(').replace(')', '\\)');
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const HOUR_LATER = formatTime(new Date(NOW.getTime() + 3_600_000));
const MANAGER = { id: '300000000000000002', username: 'mod' };
const STATUS_PAGE = {
  type: 2,
  style: 5,
  label: 'Status page',
  url: 'https://www.githubstatus.com/incidents/inc1',
};

describe('discord: buttons on the incident start message', () => {
  let h: Harness;
  afterEach(() => h?.close());

  const channelRef = (): ChannelRef => ({
    platform: 'discord',
    workspaceId: h.fake.guildId,
    channelId: h.fake.channels.incidents.id,
  });

  async function start(): Promise<{ root: FakeMessage; ref: ThreadRef }> {
    h = await startHarness({ services: { now: () => NOW } });
    for (const serviceId of ['github', 'cloudflare']) {
      await h.store.store.putSubscription(subscription({ serviceId, channel: channelRef() }));
    }
    const channel = h.fake.channels.incidents.id;
    const delivery = discordDelivery(incidentEvent(), channel);
    const ref = await h.adapter.deliver({ delivery, possiblySent: false });
    const root = h.fake.messagesIn(channel)[0];
    if (!ref || !root) throw new Error('no start message');
    return { root, ref };
  }

  /** The one answer to a press: its callback type, visibility and text. */
  function answerOf(record: InteractionRecord) {
    expect(record.callbacks).toHaveLength(1);
    const data = record.callbacks[0]?.data as
      | { flags?: number; embeds?: { description?: string }[] }
      | undefined;
    return {
      type: record.callbacks[0]?.type,
      ephemeral: ((data?.flags ?? 0) & EPHEMERAL) === EPHEMERAL,
      text: data?.embeds?.[0]?.description,
    };
  }

  const press = (root: FakeMessage, customId: string, manager = true) =>
    h.fake.pressButton({
      message: root,
      customId,
      ...(manager ? { user: MANAGER, permissions: PERMISSIONS.manageChannels } : {}),
    });

  /** New incidents of GitHub and Cloudflare, routed to the stored subscriptions and posted. */
  async function newIncidents(): Promise<string[]> {
    const events: IncidentEvent[] = [
      incidentEvent({ id: 'github:inc2:started', threadKey: 'github:inc2' }),
      incidentEvent({
        id: 'cloudflare:cf1:started',
        serviceId: 'cloudflare',
        serviceName: 'Cloudflare',
        threadKey: 'cloudflare:cf1',
      }),
    ];
    const channel = h.fake.channels.incidents.id;
    const before = h.fake.messagesIn(channel).length;
    const subs = await h.store.store.listSubscriptionsForChannel(channelRef());
    for (const delivery of route(events, subs, { now: NOW })) {
      await h.adapter.deliver({ delivery, possiblySent: false });
    }
    return h.fake
      .messagesIn(channel)
      .slice(before)
      .map((m) => String((m.embeds[0]?.author as { name?: string } | undefined)?.name));
  }

  it('shows Status page, Mute this service for 1h and Unsubscribe in one action row', async () => {
    const { root } = await start();
    expect(root.components).toEqual([
      {
        type: 1,
        components: [
          STATUS_PAGE,
          { type: 2, style: 2, label: 'Mute this service for 1h', custom_id: 'ob:mute:github' },
          { type: 2, style: 4, label: 'Unsubscribe', custom_id: 'ob:unsub:github' },
        ],
      },
    ]);
    // A link button is opened by the client; Discord sends no interaction for it.
    await expect(h.fake.pressButton({ message: root, customId: STATUS_PAGE.url })).rejects.toThrow(
      /has no button/,
    );
  });

  it('Mute: refused privately without Manage Channels; mutes GitHub here once; new GitHub incidents stay out', async () => {
    const { root } = await start();
    expect(answerOf(await press(root, 'ob:mute:github', false))).toEqual({
      type: 4,
      ephemeral: true,
      text: REFUSED_SHOWN,
    });
    const unchanged = await h.store.store.listSubscriptionsForChannel(channelRef());
    expect(unchanged.map((s) => s.mutedUntil)).toEqual([undefined, undefined]);

    expect(answerOf(await press(root, 'ob:mute:github'))).toEqual({
      type: 4,
      ephemeral: false,
      text: `GitHub is muted in this channel for 1h, until ${HOUR_LATER}: no new GitHub threads here until then, open ones still get their updates. /outage unmute github ends it early.`,
    });
    expect(answerOf(await press(root, 'ob:mute:github'))).toEqual({
      type: 4,
      ephemeral: true,
      text: `GitHub is already muted in this channel until ${HOUR_LATER}.`,
    });
    const subs = await h.store.store.listSubscriptionsForChannel(channelRef());
    expect(subs.map((s) => [s.serviceId, s.mutedUntil])).toEqual([
      ['cloudflare', undefined],
      ['github', new Date(NOW.getTime() + 3_600_000).toISOString()],
    ]);
    expect(await newIncidents()).toEqual(['Cloudflare']);
    // /outage unmute offers the services muted here.
    const offered = await h.fake.interact({
      subcommand: 'unmute',
      options: { service: '' },
      focused: 'service',
      channel: h.fake.channels.incidents,
    });
    expect(offered.callbacks[0]?.data?.choices).toEqual([
      { name: 'GitHub (github)', value: 'github' },
    ]);
    // No press edited the start message.
    expect(h.fake.callsTo('PATCH /channels/:id/messages/:id')).toEqual([]);
  });

  it('Unsubscribe: refused privately without Manage Channels; removes GitHub once; its next incident is not posted', async () => {
    const { root } = await start();
    expect(answerOf(await press(root, 'ob:unsub:github', false))).toEqual({
      type: 4,
      ephemeral: true,
      text: REFUSED_SHOWN,
    });
    expect(await h.store.store.listSubscriptionsForChannel(channelRef())).toHaveLength(2);

    expect(answerOf(await press(root, 'ob:unsub:github'))).toEqual({
      type: 4,
      ephemeral: false,
      text: 'This channel no longer follows GitHub.',
    });
    expect(answerOf(await press(root, 'ob:unsub:github'))).toEqual({
      type: 4,
      ephemeral: true,
      text: 'This channel does not follow GitHub. It follows Cloudflare.',
    });
    const subs = await h.store.store.listSubscriptionsForChannel(channelRef());
    expect(subs.map((s) => s.serviceId)).toEqual(['cloudflare']);
    expect(await newIncidents()).toEqual(['Cloudflare']);
  });

  it('refuses a custom_id it did not make, changing nothing', async () => {
    const { root } = await start();
    // A forged id (an older bot's, or a crafted one) that a message happens to carry.
    root.components = [
      { type: 1, components: [{ type: 2, style: 2, label: 'x', custom_id: 'ob:mute:../GitHub' }] },
    ];
    const answer = answerOf(await press(root, 'ob:mute:../GitHub'));
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/^That button is not one I know/);
    const subs = await h.store.store.listSubscriptionsForChannel(channelRef());
    expect(subs.map((s) => s.mutedUntil)).toEqual([undefined, undefined]);
  });

  it('keeps only Status page once resolved, and all three again after a reopen', async () => {
    const { ref } = await start();
    const channel = h.fake.channels.incidents.id;
    await h.adapter.deliver({
      delivery: discordDelivery(laterEvent('resolved'), channel),
      thread: ref,
      possiblySent: false,
    });
    const root = () => h.fake.messagesIn(channel)[0] as FakeMessage;
    expect(root().components).toEqual([{ type: 1, components: [STATUS_PAGE] }]);
    await expect(press(root(), 'ob:mute:github')).rejects.toThrow(/has no button/);
    await h.adapter.deliver({
      delivery: discordDelivery(
        reopenedEvent(laterEvent('resolved'), {
          id: 'u4',
          body: 'It is back.',
          at: '2024-06-10T15:30:00.000Z',
        }),
        channel,
      ),
      thread: ref,
      possiblySent: false,
    });
    const ids = (root().components[0] as { components: { custom_id?: string }[] }).components.map(
      (b) => b.custom_id,
    );
    expect(ids).toEqual([undefined, 'ob:mute:github', 'ob:unsub:github']);
  });
});
