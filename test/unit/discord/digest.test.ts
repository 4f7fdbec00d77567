import { afterEach, describe, expect, it } from 'vitest';
import { forumRefFor, nonceFor } from '../../../adapters/discord/deliver-refs.js';
import { renderDigestEmbed } from '../../../adapters/discord/render-digest.js';
import { FAULTS, PERMISSIONS } from '../../fakes/discord/index.js';
import { QUIET_DIGEST, SAMPLE_DIGEST, sampleDigestDelivery } from '../digest/digest-sample.js';
import { type Harness, startHarness } from './harness.js';

const GUILD = '200000000000000001';
const to = (channelId: string) => ({ platform: 'discord', workspaceId: GUILD, channelId });

describe('the weekly digest on Discord', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('renders as one embed with every untrusted title and name shown literally', () => {
    expect(renderDigestEmbed(SAMPLE_DIGEST)).toEqual({
      title: 'Weekly digest',
      description: [
        '2026-11-30 09:00 to 2026-12-07 09:00 (Europe/Berlin)',
        'No incidents on Cloud \\<b\\>flare\\</b\\>, Discord.',
      ].join('\n\n'),
      color: 0xe67e22,
      fields: [
        {
          name: 'GitHub',
          value: [
            '3 incidents, 5h 20m down in total',
            'Longest: [Git \\<!channel\\> \\*down\\* @\u200beveryone](https://www.githubstatus.com/incidents/abc) (4h)',
            'Still open: Webhooks \\<@U123\\> delayed (since 2026-12-07 08:00)',
          ].join('\n'),
        },
      ],
    });
    expect(renderDigestEmbed(QUIET_DIGEST)).toEqual({
      title: 'Weekly digest',
      description:
        '2026-11-30 09:00 to 2026-12-07 09:00 (Europe/Berlin)\n\nA quiet week: no incidents on GitHub.',
      color: 0x57f287,
    });
  });

  it('posts one message with no thread and no pings; a retry after a lost answer reuses it', async () => {
    h = await startHarness({ adapter: { rest: { offset: 0, retries: 0 } } });
    const channel = h.fake.channels.incidents.id;
    const delivery = sampleDigestDelivery(to(channel));
    h.fake.addFault({
      route: 'POST /channels/:id/messages',
      fault: FAULTS.serverError(502),
      afterEffect: true,
      times: 1,
    });
    await expect(h.adapter.deliver({ delivery, possiblySent: false })).rejects.toMatchObject({
      kind: 'transient',
    });
    const ref = await h.adapter.deliver({ delivery, possiblySent: true });
    const messages = h.fake.messagesIn(channel);
    expect(messages).toHaveLength(1);
    expect(ref).toEqual({ channelId: channel, rootId: messages[0]?.id });
    expect(h.fake.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(0);
    expect(h.fake.callsTo('POST /channels/:id/messages')[1]?.body).toEqual({
      allowed_mentions: { parse: [] },
      embeds: [renderDigestEmbed(SAMPLE_DIGEST)],
      nonce: nonceFor(delivery.id),
      enforce_nonce: true,
    });
    expect(messages[0]?.embeds[0]?.title).toBe('Weekly digest');
  });

  it('in a forum channel it is a post of its own, named for its week', async () => {
    h = await startHarness();
    const forum = h.fake.channels.forum.id;
    const delivery = sampleDigestDelivery(to(forum));
    const ref = await h.adapter.deliver({ delivery, possiblySent: false });
    const [post] = h.fake.threadsOf(forum);
    expect(post?.name).toBe('Weekly digest to 2026-12-07');
    expect(ref).toEqual({ channelId: forum, rootId: post?.id, threadId: post?.id });
    const starter = h.fake.messagesIn(post?.id as string)[0];
    expect(starter?.embeds[0]).toMatchObject({
      title: 'Weekly digest',
      footer: { text: `outage-bot · ref ${forumRefFor(delivery.thread)}` },
    });
  });

  it('/outage digest is registered with its options and set from an interaction', async () => {
    h = await startHarness();
    const subcommands = (h.fake.registeredCommand()?.options ?? []) as {
      name: string;
      options?: { name: string }[];
    }[];
    const registered = subcommands.find((o) => o.name === 'digest');
    expect(registered?.options?.map((o) => o.name)).toEqual(['mode', 'day', 'hour', 'timezone']);
    const channel = h.fake.channels.incidents;
    const answer = await h.fake.interact({
      subcommand: 'digest',
      options: { mode: 'weekly', day: 'sunday', hour: '20', timezone: 'America/Chicago' },
      channel,
      permissions: PERMISSIONS.manageChannels,
    });
    const data = answer.callbacks[0]?.data ?? {};
    expect(data.flags ?? 0).toBe(0);
    const [embed] = (data.embeds ?? []) as { description?: string }[];
    // The date of the first one depends on today; parentheses come escaped as markdown.
    expect(embed?.description).toMatch(
      /^This channel gets a weekly digest on Sundays at 20:00 \\\(America\/Chicago\\\): incidents per service, total and longest downtime, and what is still open\. The first one comes on \d{4}-\d\d-\d\d\. \/outage digest off stops it\.$/,
    );
    expect(await h.services.store.digests.get(to(channel.id))).toMatchObject({
      day: 7,
      hour: 20,
      timeZone: 'America/Chicago',
    });
  });
});
