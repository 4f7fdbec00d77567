import { describe, expect, it } from 'vitest';
import {
  isMuted,
  isSubscriptionMuted,
  mayOpenThreads,
  muteEndOf,
  mutePasses,
  threadsToCheck,
} from '../../../src/incidents/mute-policy.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { incidentEvent } from '../../helpers/events.js';
import { subscription } from '../../helpers/subscriptions.js';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const later = new Date(NOW.getTime() + 60_000);

describe('mute policy', () => {
  it.each([
    [undefined, false],
    [new Date(NOW.getTime() - 1), false],
    [NOW, false],
    [later, true],
  ])('a mute until %s holds now: %s', (until, muted) => {
    expect(isMuted(until, NOW)).toBe(muted);
    expect(mayOpenThreads({}, until, NOW)).toBe(!muted);
    expect(mayOpenThreads({ mutedUntil: until?.toISOString() }, undefined, NOW)).toBe(!muted);
  });

  const earlier = new Date(NOW.getTime() - 60_000);
  it.each([
    ['neither', undefined, undefined, undefined, false],
    ['the channel only', undefined, later, later, true],
    ['the service only', later, undefined, later, true],
    ['the service, after a channel mute ended', later, earlier, later, true],
    ['the channel, after the service mute ended', earlier, later, later, true],
    ['both, but both over', earlier, earlier, earlier, false],
  ])('muted by %s: ends %s', (_what, service, channel, end, muted) => {
    const sub = service ? { mutedUntil: service.toISOString() } : {};
    expect(muteEndOf(sub, channel)).toEqual(end);
    expect(isSubscriptionMuted(sub, channel, NOW)).toBe(muted);
  });

  it('reads an unparseable service mute as none', () => {
    expect(muteEndOf({ mutedUntil: 'soon' }, undefined)).toBeUndefined();
  });

  it.each([
    [false, false, true],
    [false, true, true],
    [true, true, true],
    [true, false, false],
  ])('muted %s, thread exists %s: the event passes %s', (muted, exists, passes) => {
    expect(mutePasses(muted, exists)).toBe(passes);
  });

  it('asks only about the threads of muted channels, each once', () => {
    const quiet: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C-quiet' };
    const loud: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C-loud' };
    const event = incidentEvent();
    const subs = [
      subscription({ serviceId: event.serviceId, channel: quiet }),
      subscription({ serviceId: event.serviceId, channel: loud }),
    ];
    const mutedUntil = (c: ChannelRef) => (c.channelId === 'C-quiet' ? later : undefined);
    expect(threadsToCheck([event, event], subs, mutedUntil, NOW)).toEqual([
      `${event.threadKey}|slack:T1:C-quiet`,
    ]);
  });

  it('asks about the threads of a service muted in an unmuted channel', () => {
    const loud: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C-loud' };
    const event = incidentEvent();
    const subs = [
      subscription({ serviceId: event.serviceId, channel: loud, mutedUntil: later.toISOString() }),
    ];
    expect(threadsToCheck([event], subs, () => undefined, NOW)).toEqual([
      `${event.threadKey}|slack:T1:C-loud`,
    ]);
  });
});
