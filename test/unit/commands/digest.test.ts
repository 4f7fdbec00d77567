import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../commands/registry.js';
import { CHANNEL, harnessPerTest, OTHER_CHANNEL, registered } from './command-fixtures.js';

const digest = registered('digest');
/** A Thursday. */
const THURSDAY = new Date('2026-12-03T15:20:00.000Z');

describe('/outage digest', () => {
  const h = harnessPerTest();
  const run = (options: Record<string, string>) => runCommand(digest, h.ctx, options);

  it('weekly with no more arguments: Mondays at 09:00 UTC, and says when the first one comes', async () => {
    h.services.now = () => THURSDAY;
    expect(await run({ mode: 'weekly' })).toEqual({
      visibility: 'in_channel',
      text: 'This channel gets a weekly digest on Mondays at 09:00 (UTC): incidents per service, total and longest downtime, and what is still open. The first one comes on 2026-12-07. /outage digest off stops it.',
    });
    expect(await h.test.store.digests.get(CHANNEL)).toEqual({
      channel: CHANNEL,
      day: 1,
      hour: 9,
      timeZone: 'UTC',
      updatedAt: THURSDAY.toISOString(),
      updatedBy: 'U1',
    });
    expect(await h.test.store.digests.get(OTHER_CHANNEL)).toBeUndefined();
  });

  it('takes a day (short or full, any case), an hour and an IANA zone (any case)', async () => {
    h.services.now = () => THURSDAY;
    const reply = await run({ mode: 'Weekly', day: 'FRI', hour: '17:00', timezone: 'asia/tokyo' });
    expect(reply.text).toBe(
      'This channel gets a weekly digest on Fridays at 17:00 (Asia/Tokyo): incidents per service, total and longest downtime, and what is still open. The first one comes on 2026-12-04. /outage digest off stops it.',
    );
    expect(await h.test.store.digests.get(CHANNEL)).toMatchObject({
      day: 5,
      hour: 17,
      timeZone: 'Asia/Tokyo',
    });
    await run({ mode: 'weekly', day: 'sunday', hour: '0' });
    expect(await h.test.store.digests.get(CHANNEL)).toMatchObject({ day: 7, hour: 0 });
  });

  it('today, before the hour: the first one is today', async () => {
    h.services.now = () => THURSDAY;
    expect((await run({ mode: 'weekly', day: 'thu', hour: '16' })).text).toContain(
      'The first one comes on 2026-12-03.',
    );
    expect((await run({ mode: 'weekly', day: 'thu', hour: '15' })).text).toContain(
      'The first one comes on 2026-12-10.',
    );
  });

  it.each([
    [
      { mode: 'weekly', timezone: 'Mars/Olympus' },
      'Can\'t set the weekly digest: "Mars/Olympus" is not a time zone: give an IANA name, e.g. Europe/Berlin or America/New_York.',
    ],
    [
      { mode: 'weekly', day: 'funday' },
      'Can\'t set the weekly digest: "funday" is not a day of the week: give mon to sun or a full name, e.g. monday.',
    ],
    [
      { mode: 'weekly', day: 'mo' },
      'Can\'t set the weekly digest: "mo" is not a day of the week: give mon to sun or a full name, e.g. monday.',
    ],
    [
      { mode: 'weekly', day: 'mon', hour: '24' },
      'Can\'t set the weekly digest: "24" is not an hour: give a whole hour from 0 to 23, e.g. 9 or 17.',
    ],
    [
      { mode: 'weekly', day: 'mon', hour: '9:30' },
      'Can\'t set the weekly digest: "9:30" is not an hour: give a whole hour from 0 to 23, e.g. 9 or 17.',
    ],
    [
      { mode: 'daily' },
      '"daily" is not a digest setting: use weekly or off, e.g. /outage digest weekly monday 9 Europe/Berlin.',
    ],
  ])('refuses %j', async (options, text) => {
    expect(await run(options)).toEqual({ visibility: 'ephemeral', error: true, text });
    expect(await h.test.store.digests.get(CHANNEL)).toBeUndefined();
  });

  it('with no argument shows the setting, or that there is none', async () => {
    expect(await run({})).toEqual({
      visibility: 'ephemeral',
      text: 'This channel gets no weekly digest. /outage digest weekly [day] [hour] [timezone] turns it on (default: Mondays at 09:00 UTC).',
    });
    await run({ mode: 'weekly', day: 'wednesday', hour: '8', timezone: 'America/New_York' });
    expect(await run({})).toEqual({
      visibility: 'ephemeral',
      text: 'This channel gets a weekly digest on Wednesdays at 08:00 (America/New_York). /outage digest off stops it.',
    });
  });

  it('off turns it off, once', async () => {
    await run({ mode: 'weekly' });
    expect(await run({ mode: 'off' })).toEqual({
      visibility: 'in_channel',
      text: 'The weekly digest is off in this channel. /outage digest weekly turns it back on.',
    });
    expect(await h.test.store.digests.get(CHANNEL)).toBeUndefined();
    expect(await run({ mode: 'off' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'This channel gets no weekly digest; nothing to turn off.',
    });
  });

  it('is refused for non-managers under the managers policy', async () => {
    h.services.managePolicy = 'managers';
    const member = h.ctxFor(CHANNEL, { canManage: false });
    expect(await runCommand(digest, member, { mode: 'weekly' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: "You can't change this channel's subscriptions, mutes or weekly digest: the bot's operator limits that to people who manage the channel (Slack: workspace admins and an allowlist; Discord: Manage Channels). Ask one of them.",
    });
    expect(await h.test.store.digests.get(CHANNEL)).toBeUndefined();
  });
});
