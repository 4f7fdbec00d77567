import { describe, expect, it } from 'vitest';
import {
  isMuted,
  mayOpenThreads,
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
    expect(mayOpenThreads(until, NOW)).toBe(!muted);
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
});
