import { afterEach, describe, expect, it } from 'vitest';
import { formatTime } from '../../../commands/format.js';
import { REFUSED_TEXT } from '../../../commands/registry.js';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { route } from '../../../src/incidents/router.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { MemoryCatalog } from '../../../src/sources/memory-catalog.js';
import { blockActionsPayload, postBlockActions } from '../../fakes/slack/interactivity.js';
import { catalogService } from '../../helpers/services.js';
import { subscription } from '../../helpers/subscriptions.js';
import { deliveryOf, incidentEvent, threadDeliveries } from './events.js';
import { deliverLikeTheWorker, type Harness, SIGNING_SECRET, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const HOUR_LATER = formatTime(new Date(NOW.getTime() + 3_600_000));
const CHANNEL: ChannelRef = { platform: 'slack', workspaceId: 'T0FAKE', channelId: 'C0GENERAL' };
const catalog = () =>
  new MemoryCatalog([
    catalogService('github', 'GitHub'),
    catalogService('cloudflare', 'Cloudflare'),
  ]);

async function start(socket = false): Promise<Harness> {
  h = await startHarness({ socket, services: { catalog: catalog(), now: () => NOW } });
  for (const serviceId of ['github', 'cloudflare']) {
    await h.store.store.putSubscription(subscription({ serviceId, channel: CHANNEL }));
  }
  return h;
}

/** Posts GitHub's incident start to #general; resolves with the root's ts. */
async function postStart(harness: Harness): Promise<string> {
  const ref = await harness.adapter.deliver({
    delivery: deliveryOf(incidentEvent()),
    possiblySent: false,
  });
  if (!ref) throw new Error('no thread');
  return ref.rootId;
}

/** Presses a button on a message over HTTP; resolves with what response_url got, if anything. */
async function press(harness: Harness, ts: string, actionId: string, userId = 'U0ADMIN') {
  const before = harness.slack.responses.length;
  const payload = blockActionsPayload(harness.slack.workspace, {
    channelId: 'C0GENERAL',
    ts,
    actionId,
    userId,
    responseUrl: harness.slack.responseUrl(),
  });
  const res = await postBlockActions(harness.eventsUrl, SIGNING_SECRET, payload);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('');
  if (actionId === 'ob:link') return undefined;
  await harness.slack.waitFor(() => harness.slack.responses.length > before, 'the answer');
  expect(harness.slack.responses).toHaveLength(before + 1);
  const body = harness.slack.responses.at(-1)?.body ?? {};
  return { type: body.response_type, text: body.text, replace: body.replace_original };
}

/** New incidents of GitHub and Cloudflare, routed to the store's subscriptions and posted. */
async function newIncidents(harness: Harness): Promise<string[]> {
  const events: IncidentEvent[] = [
    incidentEvent({ id: 'github:inc2:started', threadKey: 'github:inc2' }),
    incidentEvent({
      id: 'cloudflare:cf1:started',
      serviceId: 'cloudflare',
      serviceName: 'Cloudflare',
      threadKey: 'cloudflare:cf1',
    }),
  ];
  const subs = await harness.store.store.listSubscriptionsForChannel(CHANNEL);
  const before = harness.slack.accepted('chat.postMessage').length;
  for (const delivery of route(events, subs, { now: NOW })) {
    await harness.adapter.deliver({ delivery, possiblySent: false });
  }
  return harness.slack
    .accepted('chat.postMessage')
    .slice(before)
    .map((c) => String(c.args.text).split(':')[0] ?? '');
}

const actionsOf = (harness: Harness, ts: string) =>
  harness.slack.workspace.channels
    .get('C0GENERAL')
    ?.messages.find((m) => m.ts === ts)
    ?.blocks?.find((b) => (b as { type: string }).type === 'actions');

const STATUS_PAGE = {
  type: 'button',
  text: { type: 'plain_text', text: 'Status page', emoji: true },
  action_id: 'ob:link',
  url: 'https://www.githubstatus.com/incidents/inc1',
};

describe('Slack: buttons on the incident start message', () => {
  it('shows Status page, Mute this service for 1h and Unsubscribe, carrying the service id', async () => {
    const harness = await start();
    const ts = await postStart(harness);
    expect(actionsOf(harness, ts)).toEqual({
      type: 'actions',
      block_id: 'ob:incident',
      elements: [
        STATUS_PAGE,
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Mute this service for 1h', emoji: true },
          action_id: 'ob:mute',
          value: 'github',
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Unsubscribe', emoji: true },
          action_id: 'ob:unsub',
          value: 'github',
        },
      ],
    });
    // Pressing the link only opens the page: acked, nothing answered, nothing changed.
    expect(await press(harness, ts, 'ob:link')).toBeUndefined();
    expect(harness.slack.responses).toEqual([]);
  });

  it('Mute: refused privately to a member; mutes GitHub here once; new GitHub incidents stay out', async () => {
    const harness = await start();
    const ts = await postStart(harness);

    expect(await press(harness, ts, 'ob:mute', 'U0MEMBER')).toEqual({
      type: 'ephemeral',
      text: `:warning: ${REFUSED_TEXT}`,
      replace: false,
    });
    const unchanged = await harness.store.store.listSubscriptionsForChannel(CHANNEL);
    expect(unchanged.map((s) => s.mutedUntil)).toEqual([undefined, undefined]);

    expect(await press(harness, ts, 'ob:mute')).toEqual({
      type: 'in_channel',
      text: `GitHub is muted in this channel for 1h, until ${HOUR_LATER}: no new GitHub threads here until then, open ones still get their updates. /outage unmute github ends it early.`,
      replace: false,
    });
    expect(await press(harness, ts, 'ob:mute')).toEqual({
      type: 'ephemeral',
      text: `:warning: GitHub is already muted in this channel until ${HOUR_LATER}.`,
      replace: false,
    });
    const subs = await harness.store.store.listSubscriptionsForChannel(CHANNEL);
    expect(subs.map((s) => [s.serviceId, s.mutedUntil])).toEqual([
      ['cloudflare', undefined],
      ['github', new Date(NOW.getTime() + 3_600_000).toISOString()],
    ]);
    expect(await newIncidents(harness)).toEqual(['Cloudflare']);
    // The start message was not touched by any press.
    expect(harness.slack.accepted('chat.update')).toEqual([]);
  });

  it('Unsubscribe: refused privately to a member; removes GitHub once; its next incident is not posted', async () => {
    const harness = await start();
    const ts = await postStart(harness);

    const refused = await press(harness, ts, 'ob:unsub', 'U0MEMBER');
    expect(refused?.type).toBe('ephemeral');
    expect(refused?.text).toBe(`:warning: ${REFUSED_TEXT}`);
    expect(await harness.store.store.listSubscriptionsForChannel(CHANNEL)).toHaveLength(2);

    expect(await press(harness, ts, 'ob:unsub')).toEqual({
      type: 'in_channel',
      text: 'This channel no longer follows GitHub.',
      replace: false,
    });
    expect(await press(harness, ts, 'ob:unsub')).toEqual({
      type: 'ephemeral',
      text: ':warning: This channel does not follow GitHub. It follows Cloudflare.',
      replace: false,
    });
    const subs = await harness.store.store.listSubscriptionsForChannel(CHANNEL);
    expect(subs.map((s) => s.serviceId)).toEqual(['cloudflare']);
    expect(await newIncidents(harness)).toEqual(['Cloudflare']);
  });

  it('answers a press whose value is not a service id privately, changing nothing', async () => {
    const harness = await start();
    const ts = await postStart(harness);
    // What comes back from Slack is untrusted: a value edited on the way is refused.
    const message = harness.slack.workspace.channels
      .get('C0GENERAL')
      ?.messages.find((m) => m.ts === ts);
    const actions = message?.blocks?.at(-1) as { elements: { value?: string }[] };
    for (const el of actions.elements) if (el.value) el.value = '../GitHub';
    const answer = await press(harness, ts, 'ob:mute');
    expect(answer?.type).toBe('ephemeral');
    expect(answer?.text).toMatch(/^:warning: That button is not one I know/);
    const subs = await harness.store.store.listSubscriptionsForChannel(CHANNEL);
    expect(subs.map((s) => s.mutedUntil)).toEqual([undefined, undefined]);
    expect(harness.slack.callsTo('users.info')).toEqual([]);
  });

  it('keeps only Status page once resolved, and all three again after a reopen', async () => {
    const harness = await start();
    const [ref] = await deliverLikeTheWorker(harness.adapter, [threadDeliveries('inc1', 'Down')]);
    const ts = ref?.rootId ?? '';
    expect(actionsOf(harness, ts)).toEqual({
      type: 'actions',
      block_id: 'ob:incident',
      elements: [STATUS_PAGE],
    });
    expect(() =>
      blockActionsPayload(harness.slack.workspace, {
        channelId: 'C0GENERAL',
        ts,
        actionId: 'ob:mute',
        responseUrl: harness.slack.responseUrl(),
      }),
    ).toThrow(/has no button ob:mute/);
    const reopened = incidentEvent({
      id: 'github:inc1:reopened',
      type: 'reopened',
      subject: { ...incidentEvent().subject, status: 'investigating' },
    });
    await harness.adapter.deliver({
      delivery: deliveryOf(reopened),
      thread: ref,
      possiblySent: false,
    });
    const buttons = (actionsOf(harness, ts) as { elements: { action_id: string }[] }).elements;
    expect(buttons.map((b) => b.action_id)).toEqual(['ob:link', 'ob:mute', 'ob:unsub']);
  });

  it('answers a press that arrives over Socket Mode the same way', async () => {
    const harness = await start(true);
    const ts = await postStart(harness);
    const payload = blockActionsPayload(harness.slack.workspace, {
      channelId: 'C0GENERAL',
      ts,
      actionId: 'ob:mute',
      responseUrl: harness.slack.responseUrl(),
    });
    const ack = await harness.slack.socket.deliver('interactive', payload);
    expect(ack.payload).toEqual({});
    await harness.slack.waitFor(() => harness.slack.responses.length === 1, 'the answer');
    expect(harness.slack.responses[0]?.body.text).toBe(
      `GitHub is muted in this channel for 1h, until ${HOUR_LATER}: no new GitHub threads here until then, open ones still get their updates. /outage unmute github ends it early.`,
    );
    expect(await newIncidents(harness)).toEqual(['Cloudflare']);
  });
});
