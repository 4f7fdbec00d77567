import { afterEach, describe, expect, it } from 'vitest';
import { postSlashCommand, slashCommandFields } from '../../fakes/slack/signer.js';
import { type Harness, type HarnessOptions, SIGNING_SECRET, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Replies defuse a typed @channel / @here with a word joiner: the reply pings nobody. */
const AT = '@\u2060';

const channel = { platform: 'slack' as const, workspaceId: 'T0FAKE', channelId: 'C0GENERAL' };

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  h.slack.workspace.setUser('U0OWNER', { is_owner: true });
  h.slack.workspace.setUser('U0GUEST', { is_restricted: true });
  return h;
}

/** Runs a signed /outage command; returns the reply text and what the channel now pings. */
async function command(text: string, user: string) {
  if (!h) throw new Error('no harness');
  const res = await postSlashCommand({
    url: h.eventsUrl,
    signingSecret: SIGNING_SECRET,
    fields: slashCommandFields({ text, userId: user, responseUrl: h.slack.responseUrl() }),
    mode: 'valid',
  });
  const json = (await res.json()) as { response_type: string; text: string };
  const subs = await h.store.store.listSubscriptionsForChannel(channel);
  return { visibility: json.response_type, text: json.text, mentions: subs.map((s) => s.mention) };
}

describe('slack: a subscription pings only whom the subscriber may ping', () => {
  it.each(['<!channel>', '<!here>'])(
    'refuses %s to a member allowed to manage subscriptions who is not an admin',
    async (mention) => {
      await start({ services: { managePolicy: 'everyone' } });
      const word = mention === '<!here>' ? 'here' : 'channel';
      expect(await command(`subscribe github ${mention}`, 'U0MEMBER')).toEqual({
        visibility: 'ephemeral',
        text: `:warning: Can't subscribe: pinging ${AT}${word} needs a workspace admin or owner, and you are neither.`,
        mentions: [],
      });
    },
  );

  it('does not let the SLACK_MANAGERS allowlist lend @channel', async () => {
    await start({ managers: ['U0FRIEND'] });
    h?.slack.workspace.setUser('U0FRIEND');
    const got = await command('subscribe github @channel', 'U0FRIEND');
    expect(got.text).toBe(
      `:warning: Can't subscribe: pinging ${AT}channel needs a workspace admin or owner, and you are neither.`,
    );
    expect(got.mentions).toEqual([]);
    expect((await command('subscribe github', 'U0FRIEND')).mentions).toEqual(['none']);
  });

  it('accepts @channel from an admin and @here from an owner', async () => {
    await start();
    expect((await command('subscribe github <!channel>', 'U0ADMIN')).mentions).toEqual(['channel']);
    expect((await command('subscribe github <!here|here>', 'U0OWNER')).mentions).toEqual(['here']);
  });

  it('lets full members ping a user group and refuses guests', async () => {
    await start({ services: { managePolicy: 'everyone' } });
    expect(await command('subscribe github <!subteam^S0456|@oncall>', 'U0GUEST')).toEqual({
      visibility: 'ephemeral',
      text: ":warning: Can't subscribe: guests cannot have the bot ping a user group.",
      mentions: [],
    });
    expect(
      (await command('subscribe github <!subteam^S0456|@oncall>', 'U0MEMBER')).mentions,
    ).toEqual([{ role: 'S0456' }]);
  });

  it('refuses a broadcast when Slack cannot say who the user is', async () => {
    await start({ services: { managePolicy: 'everyone' } });
    const got = await command('subscribe github @here', 'U0NOBODY');
    expect(got.text).toBe(
      ":warning: Can't subscribe: Slack did not tell me whether you may ping that; try again in a minute.",
    );
    expect(got.mentions).toEqual([]);
  });
});
