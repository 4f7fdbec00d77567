import { describe, expect, it } from 'vitest';
import { formatTime } from '../../../commands/format.js';
import { runCommand } from '../../../commands/registry.js';
import { CHANNEL, harnessPerTest, NOW, OTHER_CHANNEL, registered } from './command-fixtures.js';

const mute = registered('mute');
const unmute = registered('unmute');

describe('mute and unmute', () => {
  const h = harnessPerTest();

  it('mutes this channel for the given time and says until when', async () => {
    const until = new Date(NOW.getTime() + 90 * 60_000);
    const reply = await runCommand(mute, h.ctx, { duration: '1h30m' });
    expect(reply).toEqual({
      visibility: 'in_channel',
      text: `Incident messages are muted in this channel for 1h 30m, until ${formatTime(until)}. /outage unmute ends it early.`,
    });
    expect(await h.test.store.getMute(CHANNEL)).toEqual(until);
    expect(await h.test.store.getMute(OTHER_CHANNEL)).toBeUndefined();
  });

  it('a second mute replaces the first', async () => {
    await runCommand(mute, h.ctx, { duration: '1d' });
    await runCommand(mute, h.ctx, { duration: '10m' });
    expect(await h.test.store.getMute(CHANNEL)).toEqual(new Date(NOW.getTime() + 10 * 60_000));
  });

  it.each([
    [
      'forever',
      'Can\'t mute: "forever" is not a duration: give a duration like 30m, 2h, 1d or 1h30m.',
    ],
    ['45d', "Can't mute: a mute lasts at most 30 days; use unsubscribe to stop for good."],
    ['15', 'Can\'t mute: "15" has no unit: give a duration like 30m, 2h, 1d or 1h30m.'],
  ])('refuses %j', async (duration, text) => {
    expect(await runCommand(mute, h.ctx, { duration })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text,
    });
    expect(await h.test.store.getMute(CHANNEL)).toBeUndefined();
  });

  it('unmute ends the mute early', async () => {
    await runCommand(mute, h.ctx, { duration: '2h' });
    const until = new Date(NOW.getTime() + 2 * 3_600_000);
    const reply = await runCommand(unmute, h.ctx, {});
    expect(reply).toEqual({
      visibility: 'in_channel',
      text: `Incident messages are back on in this channel (the mute would have lasted until ${formatTime(until)}).`,
    });
    expect(await h.test.store.getMute(CHANNEL)).toBeUndefined();
  });

  it('unmute on an unmuted channel says so', async () => {
    expect(await runCommand(unmute, h.ctx, {})).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'This channel is not muted.',
    });
  });

  it('both are refused for non-managers under the managers policy', async () => {
    h.services.managePolicy = 'managers';
    const member = h.ctxFor(CHANNEL, { canManage: false });
    expect((await runCommand(mute, member, { duration: '1h' })).error).toBe(true);
    expect(await h.test.store.getMute(CHANNEL)).toBeUndefined();
    await runCommand(mute, h.ctx, { duration: '1h' });
    expect((await runCommand(unmute, member, {})).error).toBe(true);
    expect(await h.test.store.getMute(CHANNEL)).toBeDefined();
  });
});
