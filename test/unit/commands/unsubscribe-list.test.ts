import { beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../../commands/registry.js';
import { subscription } from '../../helpers/subscriptions.js';
import { CHANNEL, harnessPerTest, NOW, OTHER_CHANNEL, registered } from './command-fixtures.js';

const subscribe = registered('subscribe');
const unsubscribe = registered('unsubscribe');
const list = registered('list');

describe('unsubscribe', () => {
  const h = harnessPerTest();
  beforeEach(async () => {
    await runCommand(subscribe, h.ctx, { service: 'github' });
    await runCommand(subscribe, h.ctx, { service: 'cloudflare' });
    await runCommand(subscribe, h.ctxFor(OTHER_CHANNEL), { service: 'github' });
  });

  it('removes one service from this channel only', async () => {
    const reply = await runCommand(unsubscribe, h.ctx, { service: 'GH' });
    expect(reply).toEqual({
      visibility: 'in_channel',
      text: 'This channel no longer follows GitHub.',
    });
    const here = await h.test.store.listSubscriptionsForChannel(CHANNEL);
    expect(here.map((s) => s.serviceId)).toEqual(['cloudflare']);
    expect(await h.test.store.listSubscriptionsForChannel(OTHER_CHANNEL)).toHaveLength(1);
  });

  it('removes everything with "all"', async () => {
    const reply = await runCommand(unsubscribe, h.ctx, { service: 'ALL' });
    expect(reply).toEqual({
      visibility: 'in_channel',
      text: 'This channel no longer follows any service (removed Cloudflare, GitHub).',
    });
    expect(await h.test.store.listSubscriptionsForChannel(CHANNEL)).toEqual([]);
    expect(await h.test.store.listSubscriptionsForChannel(OTHER_CHANNEL)).toHaveLength(1);
    const again = await runCommand(unsubscribe, h.ctx, { service: 'all' });
    expect(again).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'This channel follows no services; nothing to remove. Try /outage list.',
    });
  });

  it('says what the channel does follow when the service is not followed', async () => {
    const reply = await runCommand(unsubscribe, h.ctx, { service: 'discord' });
    expect(reply).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'This channel does not follow Discord. It follows Cloudflare and GitHub.',
    });
  });

  it('removes a subscription whose service left the catalog, by its id', async () => {
    await h.test.store.putSubscription(
      subscription({ serviceId: 'retired', channel: CHANNEL, createdAt: NOW.toISOString() }),
    );
    const reply = await runCommand(unsubscribe, h.ctx, { service: 'retired' });
    expect(reply.text).toBe('This channel no longer follows retired.');
  });

  it('finds the service by its status page URL', async () => {
    const reply = await runCommand(unsubscribe, h.ctx, {
      service: 'https://status.github.example/',
    });
    expect(reply.text).toBe('This channel no longer follows GitHub.');
  });

  it('suggests a service on a typo', async () => {
    const reply = await runCommand(unsubscribe, h.ctx, { service: 'cloudflair' });
    expect(reply.error).toBe(true);
    expect(reply.text).toContain('Did you mean Cloudflare?');
  });

  it('needs a service', async () => {
    const reply = await runCommand(unsubscribe, h.ctx, {});
    expect(reply.text).toBe(
      '/outage unsubscribe needs a service.\nUsage: /outage unsubscribe <service>\nExample: /outage unsubscribe github',
    );
  });

  it('is refused for non-managers under the managers policy', async () => {
    h.services.managePolicy = 'managers';
    const reply = await runCommand(unsubscribe, h.ctxFor(CHANNEL, { canManage: false }), {
      service: 'all',
    });
    expect(reply.error).toBe(true);
    expect(await h.test.store.listSubscriptionsForChannel(CHANNEL)).toHaveLength(2);
  });
});

describe('list', () => {
  const h = harnessPerTest();

  it('says how to start when the channel follows nothing', async () => {
    const reply = await runCommand(list, h.ctx, {});
    expect(reply).toEqual({
      visibility: 'ephemeral',
      text: 'This channel follows no services. Try /outage subscribe github, or /outage services to see what I know.',
    });
  });

  it('lists subscriptions with filters, suspension and the mute', async () => {
    await runCommand(subscribe, h.ctx, {
      service: 'github',
      impact: 'major',
      components: 'API',
      mention: '@channel',
    });
    await runCommand(subscribe, h.ctx, { service: 'cloudflare' });
    const [cf] = (await h.test.store.listSubscriptionsForChannel(CHANNEL)).filter(
      (s) => s.serviceId === 'cloudflare',
    );
    if (!cf) throw new Error('missing');
    await h.test.store.putSubscription({
      ...cf,
      suspended: { at: '2025-02-03T04:05:00.000Z', reason: 'channel_not_found' },
    });
    const until = new Date(NOW.getTime() + 3_600_000);
    await h.test.store.setMute(CHANNEL, until);
    const reply = await runCommand(list, h.ctx, {});
    expect(reply).toEqual({
      visibility: 'ephemeral',
      title: 'Subscriptions',
      text: `This channel follows 2 services.\nMuted until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC (/outage unmute ends it).`,
      items: [
        {
          label: 'Cloudflare',
          detail:
            'all incidents; suspended since 2025-02-03 04:05 UTC (channel_not_found), subscribe again to resume',
        },
        {
          label: 'GitHub',
          detail:
            'major and critical incidents on API; pings @channel on major and critical incidents',
        },
      ],
    });
  });

  it('does not show other channels', async () => {
    await runCommand(subscribe, h.ctxFor(OTHER_CHANNEL), { service: 'github' });
    expect((await runCommand(list, h.ctx, {})).text).toContain('follows no services');
  });
});
