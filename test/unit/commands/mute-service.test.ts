import { describe, expect, it } from 'vitest';
import { formatTime } from '../../../commands/format.js';
import { muteService } from '../../../commands/mute-service.js';
import { REFUSED_TEXT, runCommand } from '../../../commands/registry.js';
import { CHANNEL, harnessPerTest, NOW, OTHER_CHANNEL, registered } from './command-fixtures.js';

const subscribe = registered('subscribe');
const unmute = registered('unmute');
const list = registered('list');
const hourLater = new Date(NOW.getTime() + 3_600_000);

describe('one service muted in one channel (the "Mute this service for 1h" button)', () => {
  const h = harnessPerTest();

  async function followed(channel = CHANNEL) {
    return h.test.store.listSubscriptionsForChannel(channel);
  }

  it('mutes the service here for an hour, once; a second press says until when', async () => {
    await runCommand(subscribe, h.ctx, { service: 'github' });
    await runCommand(subscribe, h.ctx, { service: 'cloudflare' });
    await runCommand(subscribe, h.ctxFor(OTHER_CHANNEL), { service: 'github' });

    expect(await runCommand(muteService, h.ctx, { service: 'github' })).toEqual({
      visibility: 'in_channel',
      text: `GitHub is muted in this channel for 1h, until ${formatTime(hourLater)}: no new GitHub threads here until then, open ones still get their updates. /outage unmute github ends it early.`,
    });
    const mutes = (await followed()).map((s) => [s.serviceId, s.mutedUntil]);
    expect(mutes).toEqual([
      ['cloudflare', undefined],
      ['github', hourLater.toISOString()],
    ]);
    expect((await followed(OTHER_CHANNEL))[0]?.mutedUntil).toBeUndefined();
    // The channel itself is not muted.
    expect(await h.test.store.getMute(CHANNEL)).toBeUndefined();

    expect(await runCommand(muteService, h.ctx, { service: 'github' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: `GitHub is already muted in this channel until ${formatTime(hourLater)}.`,
    });
    expect((await followed()).find((s) => s.serviceId === 'github')?.mutedUntil).toBe(
      hourLater.toISOString(),
    );
  });

  it('two presses at once mute once: one confirmation, one "already muted"', async () => {
    await runCommand(subscribe, h.ctx, { service: 'github' });
    const replies = await Promise.all([
      runCommand(muteService, h.ctx, { service: 'github' }),
      runCommand(muteService, h.ctxFor(CHANNEL, { userId: 'U2' }), { service: 'github' }),
    ]);
    expect(replies.map((r) => r.visibility).sort()).toEqual(['ephemeral', 'in_channel']);
    expect(replies.find((r) => r.error)?.text).toBe(
      `GitHub is already muted in this channel until ${formatTime(hourLater)}.`,
    );
  });

  it('a mute and an unsubscribe at once never bring the subscription back', async () => {
    await runCommand(subscribe, h.ctx, { service: 'github' });
    const unsubscribe = registered('unsubscribe');
    const [muted, gone] = await Promise.all([
      runCommand(muteService, h.ctx, { service: 'github' }),
      runCommand(unsubscribe, h.ctxFor(CHANNEL, { userId: 'U2' }), { service: 'github' }),
    ]);
    expect(gone.text).toBe('This channel no longer follows GitHub.');
    expect(muted.visibility).toBe('in_channel');
    expect(await followed()).toEqual([]);
  });

  it('says there is nothing to mute for a service the channel does not follow', async () => {
    expect(await runCommand(muteService, h.ctx, { service: 'github' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'This channel does not follow GitHub, so there is nothing to mute.',
    });
    expect(await followed()).toEqual([]);
  });

  it('is refused, with nothing changed, to a member who may not manage the channel', async () => {
    await runCommand(subscribe, h.ctx, { service: 'github' });
    h.services.managePolicy = 'managers';
    const member = h.ctxFor(CHANNEL, { canManage: false });
    expect(await runCommand(muteService, member, { service: 'github' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: REFUSED_TEXT,
    });
    expect((await followed())[0]?.mutedUntil).toBeUndefined();
  });

  it('shows in list, survives a subscribe that changes filters, and unmute <service> lifts it', async () => {
    await runCommand(subscribe, h.ctx, { service: 'github' });
    await runCommand(muteService, h.ctx, { service: 'github' });
    await runCommand(subscribe, h.ctx, { service: 'github', impact: 'major' });
    expect((await runCommand(list, h.ctx, {})).items).toEqual([
      {
        label: 'GitHub',
        detail: `major and critical incidents; muted until ${formatTime(hourLater)} (/outage unmute github ends it)`,
      },
    ]);
    // The channel's own unmute leaves the service's mute alone.
    expect((await runCommand(unmute, h.ctx, {})).text).toBe('This channel is not muted.');
    expect(await runCommand(unmute, h.ctx, { service: 'gh' })).toEqual({
      visibility: 'in_channel',
      text: `GitHub incident messages are back on in this channel (its mute would have lasted until ${formatTime(hourLater)}).`,
    });
    const [sub] = await followed();
    expect(sub?.mutedUntil).toBeUndefined();
    expect(sub?.filters.minImpact).toBe('major');
    expect(await runCommand(unmute, h.ctx, { service: 'github' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'GitHub is not muted in this channel.',
    });
  });

  it('unmute <service> names a service the channel does not follow', async () => {
    expect(await runCommand(unmute, h.ctx, { service: 'cloudflare' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'This channel does not follow Cloudflare.',
    });
  });
});
