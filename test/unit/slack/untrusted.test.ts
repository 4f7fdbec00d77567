import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { toPlainText } from '../../../src/sources/plain-text.js';
import { deliveryOf, incidentEvent } from './events.js';
import { deliverLikeTheWorker, type Harness, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const EVIL =
  '<!channel> @here <@U123> <!everyone> <!subteam^S99> <b>bold</b> <a href="https://x.example">x</a>';
const MENTION_TOKENS = /<!channel>|<!here>|<!everyone>|<@U123>|<!subteam/;

describe('untrusted status-page text on its way to Slack', () => {
  it('reaches the fake Slack escaped, with no mention and nothing removed', async () => {
    h = await startHarness();
    const base = incidentEvent();
    const subject = { ...base.subject, title: `Outage ${EVIL}`, components: [`API ${EVIL}`] };
    const started: IncidentEvent = {
      ...base,
      subject,
      update: { ...(base.update as NonNullable<IncidentEvent['update']>), body: `Start ${EVIL}` },
    };
    const updated: IncidentEvent = {
      ...started,
      id: 'github:inc1:u2',
      type: 'updated',
      update: { id: 'u2', status: 'identified', body: `Update ${EVIL}`, at: base.at },
    };
    await deliverLikeTheWorker(h.adapter, [
      [deliveryOf(started), deliveryOf(updated, { id: 'd2' })],
    ]);

    const posts = h.slack.accepted('chat.postMessage');
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      const sent = JSON.stringify({ text: post.args.text, blocks: post.args.blocks });
      expect(sent).not.toMatch(MENTION_TOKENS);
      expect(sent).not.toMatch(/@(here|channel|everyone)/);
      expect(sent).toContain('&lt;!channel&gt;');
      expect(sent).toContain('&lt;@U123&gt;');
      expect(sent).toContain('@\u2060here');
      // By now (after the source) a tag is literal text: shown escaped, never dropped.
      expect(sent).toContain('&lt;b&gt;bold&lt;/b&gt;');
    }
  });

  it('shows a literal <api> from the status page, escaped, and @everyone pings nobody', async () => {
    h = await startHarness();
    const body = toPlainText('<p>Use the &lt;api&gt; endpoint. @everyone</p>');
    const base = incidentEvent();
    const event: IncidentEvent = {
      ...base,
      update: { ...(base.update as NonNullable<IncidentEvent['update']>), body },
    };
    await deliverLikeTheWorker(h.adapter, [[deliveryOf(event)]]);
    const [post] = h.slack.accepted('chat.postMessage');
    const sent = JSON.stringify({ text: post?.args.text, blocks: post?.args.blocks });
    expect(sent).toContain('Use the &lt;api&gt; endpoint. @\u2060everyone');
    expect(sent).not.toMatch(/<!everyone>|<api>|@everyone/);
  });

  it('pings only as the subscription asked', async () => {
    h = await startHarness();
    const event = { ...incidentEvent(), subject: { ...incidentEvent().subject, title: EVIL } };
    await deliverLikeTheWorker(h.adapter, [[deliveryOf(event, { mention: 'here' })]]);
    const post = h.slack.accepted('chat.postMessage')[0];
    const sent = JSON.stringify({ text: post?.args.text, blocks: post?.args.blocks });
    expect(sent.match(/<!here>/g)).toHaveLength(2); // the notification text and the block
    expect(sent).not.toMatch(/<!channel>|<!everyone>|<@U123>/);
  });
});
