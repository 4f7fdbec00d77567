import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../fakes/discord/index.js';
import { type Harness, startHarness } from './harness.js';

const ONCALL = { id: '400000000000000001', name: 'oncall', mentionable: false };
const OPEN_ROLE = { id: '400000000000000002', name: 'watchers', mentionable: true };
const EPHEMERAL = 64;
/** Replies defuse @everyone and @here with a zero-width space: the reply itself pings nobody. */
const AT = '@\u200b';

describe('discord: a subscription pings only whom the subscriber may ping', () => {
  let h: Harness;
  afterEach(() => h?.close());

  async function subscribe(mention: string, permissions: string) {
    const answer = await h.fake.interact({
      subcommand: 'subscribe',
      options: { service: 'github', mention },
      channel: h.fake.channels.incidents,
      permissions,
    });
    const subs = await h.services.store.listSubscriptionsForService('github');
    return {
      flags: answer.callbacks[0]?.data?.flags ?? 0,
      text: (answer.callbacks[0]?.data?.embeds as { description?: string }[] | undefined)?.[0]
        ?.description,
      mentions: subs.map((s) => s.mention),
    };
  }

  it.each([
    ['@channel', `${AT}everyone`],
    ['@here', `${AT}here`],
  ])('refuses %s to a channel manager without Mention Everyone', async (typed, shown) => {
    h = await startHarness({ fake: { roles: [ONCALL] } });
    const got = await subscribe(typed, PERMISSIONS.manageChannels);
    expect(got).toEqual({
      flags: EPHEMERAL,
      text: `Can't subscribe: pinging ${shown} needs the Mention Everyone permission in this channel, which you don't have.`,
      mentions: [],
    });
  });

  it('accepts @channel and @here from a member with Mention Everyone', async () => {
    h = await startHarness();
    expect((await subscribe('@channel', PERMISSIONS.manageAndMentionEveryone)).mentions).toEqual([
      'channel',
    ]);
    expect((await subscribe('@here', PERMISSIONS.manageAndMentionEveryone)).mentions).toEqual([
      'here',
    ]);
  });

  it('refuses a role that is not mentionable to a member without Mention Everyone', async () => {
    h = await startHarness({ fake: { roles: [ONCALL, OPEN_ROLE] } });
    const got = await subscribe(`<@&${ONCALL.id}>`, PERMISSIONS.manageChannels);
    expect(got).toEqual({
      flags: EPHEMERAL,
      text: `Can't subscribe: pinging the role oncall needs the Mention Everyone permission, or the role set to "Allow anyone to @mention this role"; you have neither.`,
      mentions: [],
    });
  });

  it('accepts a mentionable role, and any role from a member with Mention Everyone', async () => {
    h = await startHarness({ fake: { roles: [ONCALL, OPEN_ROLE] } });
    const open = await subscribe(`<@&${OPEN_ROLE.id}>`, PERMISSIONS.manageChannels);
    expect(open.mentions).toEqual([{ role: OPEN_ROLE.id }]);
    const any = await subscribe(`<@&${ONCALL.id}>`, PERMISSIONS.manageAndMentionEveryone);
    expect(any.mentions).toEqual([{ role: ONCALL.id }]);
  });

  it('treats the @everyone role as @everyone, and refuses a role the server does not have', async () => {
    h = await startHarness();
    const everyoneRole = await subscribe(`<@&${h.fake.guildId}>`, PERMISSIONS.manageChannels);
    expect(everyoneRole.text).toBe(
      `Can't subscribe: pinging ${AT}everyone needs the Mention Everyone permission in this channel, which you don't have.`,
    );
    const unknown = await subscribe('<@&400000000000000099>', PERMISSIONS.manageAndMentionEveryone);
    expect(unknown).toEqual({
      flags: EPHEMERAL,
      text: "Can't subscribe: that role is not one of this server's roles.",
      mentions: [],
    });
  });

  it('accepts a user mention from any channel manager', async () => {
    h = await startHarness();
    const got = await subscribe('<@300000000000000002>', PERMISSIONS.manageChannels);
    expect(got.mentions).toEqual([{ user: '300000000000000002' }]);
  });

  // Slack's markup once passed here too: `<@U0123ABC>` was stored as a user the bot would ping as
  // `<@U0123ABC>` on Discord, which pings nobody and is no snowflake Discord accepts.
  it.each([
    ['<@U0123ABC>', '\\<@U0123ABC\\>'],
    ['<!subteam^S0456|oncall>', '\\<!subteam^S0456\\|oncall\\>'],
  ])("refuses Slack's markup %s: it names nobody on Discord", async (typed, shown) => {
    h = await startHarness({ fake: { roles: [ONCALL] } });
    const got = await subscribe(typed, PERMISSIONS.manageAndMentionEveryone);
    expect(got).toEqual({
      flags: EPHEMERAL,
      text: `Can't subscribe: "${shown}" is not a mention: use ${AT}here, @channel, a user or a group.`,
      mentions: [],
    });
  });
});
