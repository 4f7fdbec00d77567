import { afterEach, describe, expect, it } from 'vitest';
import { renderDigest } from '../../../adapters/slack/render-digest.js';
import { DeliveryError } from '../../../src/delivery/chat-adapter.js';
import { postSlashCommand, slashCommandFields } from '../../fakes/slack/signer.js';
import { QUIET_DIGEST, SAMPLE_DIGEST, sampleDigestDelivery } from '../digest/digest-sample.js';
import { type Harness, SIGNING_SECRET, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GENERAL = { platform: 'slack', workspaceId: 'T0FAKE', channelId: 'C0GENERAL' };

describe('the weekly digest on Slack', () => {
  it('renders as Block Kit with every untrusted title and name escaped', () => {
    expect(renderDigest(SAMPLE_DIGEST)).toEqual({
      text: 'Weekly digest: 3 incidents on 1 service, 1 still open',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Weekly digest', emoji: true } },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: '2026-11-30 09:00 to 2026-12-07 09:00 (Europe/Berlin)' },
          ],
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              '*GitHub*: 3 incidents, 5h 20m down in total',
              'Longest: <https://www.githubstatus.com/incidents/abc|Git &lt;!channel&gt; *down* @\u2060everyone> (4h)',
              'Still open: Webhooks &lt;@U123&gt; delayed (since 2026-12-07 08:00)',
            ].join('\n'),
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'No incidents on Cloud &lt;b&gt;flare&lt;/b&gt;, Discord.',
          },
        },
      ],
    });
    expect(renderDigest(QUIET_DIGEST).text).toBe('Weekly digest: a quiet week');
    expect(renderDigest(QUIET_DIGEST).blocks.at(-1)).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: 'A quiet week: no incidents on GitHub.' },
    });
  });

  it('posts one message in the channel, no thread, and reuses it after a lost answer', async () => {
    h = await startHarness();
    const delivery = sampleDigestDelivery(GENERAL);
    h.slack.fail({ method: 'chat.postMessage', status: 500, afterCommit: true, times: 1 });
    const lost = await h.adapter.deliver({ delivery, possiblySent: false }).catch((e) => e);
    expect(lost).toBeInstanceOf(DeliveryError);
    const ref = await h.adapter.deliver({ delivery, possiblySent: true });
    const messages = h.slack.workspace.channels.get('C0GENERAL')?.messages ?? [];
    expect(messages).toHaveLength(1);
    expect(ref).toEqual({ channelId: 'C0GENERAL', rootId: messages[0]?.ts });
    expect(messages[0]?.thread_ts).toBeUndefined();
    expect(messages[0]?.text).toBe('Weekly digest: 3 incidents on 1 service, 1 still open');
    expect(messages[0]?.blocks).toEqual(renderDigest(SAMPLE_DIGEST).blocks);
    expect(messages[0]?.metadata?.event_payload).toMatchObject({
      delivery_id: 'digest:slack:T0FAKE:C0GENERAL:2026-12-07',
    });
  });

  it('/outage digest weekly fri 17 Europe/Berlin is set from Slack, and off again', async () => {
    h = await startHarness();
    const send = async (text: string) => {
      const res = await postSlashCommand({
        url: h?.eventsUrl ?? '',
        signingSecret: SIGNING_SECRET,
        fields: slashCommandFields({
          text,
          userId: 'U0ADMIN',
          responseUrl: h?.slack.responseUrl() ?? '',
        }),
        mode: 'valid',
      });
      return (await res.json()) as { response_type: string; text: string };
    };
    const on = await send('digest weekly fri 17 Europe/Berlin');
    expect(on.response_type).toBe('in_channel');
    expect(on.text).toMatch(
      /^This channel gets a weekly digest on Fridays at 17:00 \(Europe\/Berlin\): incidents per service/,
    );
    expect(await h.store.store.digests.get(GENERAL)).toMatchObject({
      day: 5,
      hour: 17,
      timeZone: 'Europe/Berlin',
      updatedBy: 'U0ADMIN',
    });
    const off = await send('digest off');
    expect(off.text).toBe(
      'The weekly digest is off in this channel. /outage digest weekly turns it back on.',
    );
    expect(await h.store.store.digests.get(GENERAL)).toBeUndefined();
  });
});
