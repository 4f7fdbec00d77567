import { afterEach, describe, expect, it } from 'vitest';
import type { ThreadRef } from '../../../src/incidents/subscription.js';
import { toPlainText } from '../../../src/sources/plain-text.js';
import { discordDelivery, incidentEvent, laterEvent } from './events.js';
import { type Harness, startHarness } from './harness.js';

const ROLE = '500000000000000001';

describe('discord adapter: deliver() mentions and escaping', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('shows a literal <api> from the status page, escaped, and @everyone pings nobody', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents.id;
    const body = toPlainText('<p>Use the &lt;api&gt; endpoint. @everyone</p>');
    const base = incidentEvent();
    const event = {
      ...base,
      update: { ...(base.update as NonNullable<typeof base.update>), body },
    };
    await h.adapter.deliver({ delivery: discordDelivery(event, channel), possiblySent: false });
    const [root] = h.fake.messagesIn(channel);
    expect(root?.embeds[0]?.description).toBe('Use the \\<api\\> endpoint. @\u200beveryone');
    expect(root).toMatchObject({ allowed_mentions: { parse: [] }, mention_everyone: false });
  });

  it('pings only the role the subscription asked for, and nobody from status page text', async () => {
    h = await startHarness();
    const channel = h.fake.channels.incidents.id;
    const hostile = incidentEvent({
      subject: { ...incidentEvent().subject, title: '@everyone <@&500000000000000002> **down**' },
      update: {
        id: 'u1',
        status: 'investigating',
        body: '@here <@300000000000000001> [click](https://evil.example) __x__',
        at: '2024-06-10T14:00:00.000Z',
      },
    });
    const ref = (await h.adapter.deliver({
      delivery: discordDelivery(hostile, channel, { mention: { role: ROLE } }),
      possiblySent: false,
    })) as ThreadRef;
    const update = laterEvent('updated', {
      update: {
        id: 'u2',
        status: 'identified',
        body: '@everyone <@&500000000000000002>',
        at: '2024-06-10T14:30:00.000Z',
      },
    });
    await h.adapter.deliver({
      delivery: discordDelivery(update, channel),
      thread: ref,
      possiblySent: false,
    });

    const [root] = h.fake.messagesIn(channel);
    expect(root?.content).toBe(`<@&${ROLE}>`);
    expect(root?.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(root).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [ROLE] });
    const [reply] = h.fake.messagesIn(ref.threadId as string);
    expect(reply).toMatchObject({
      content: '',
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
    });

    for (const call of h.fake.calls.filter((c) => /^(POST|PATCH) \/channels/.test(c.route))) {
      const body = call.body as {
        allowed_mentions?: unknown;
        message?: { allowed_mentions?: unknown };
      };
      if (call.route.endsWith('/threads') && !body.message) continue; // thread creation has no message
      expect(body.allowed_mentions ?? body.message?.allowed_mentions).toBeDefined();
      const text = JSON.stringify((body as { embeds?: unknown }).embeds ?? '');
      // Rendered as plain text: no live mention, broadcast or masked link survives in the embeds.
      expect(text).not.toMatch(/(?<!\\\\)<@[&!]?\d+>/);
      expect(text).not.toMatch(/@(everyone|here)/);
      expect(text).not.toMatch(/(?<!\\\\)\[click(?<!\\\\)\]\(/);
    }
    expect(root?.embeds[0]?.title).toBe(
      '@\u200beveryone \\<@&500000000000000002\\> \\*\\*down\\*\\*',
    );
  });

  it('sends @here only when asked, and never for something already over', async () => {
    h = await startHarness();
    const channel = h.fake.channels.general.id;
    await h.adapter.deliver({
      delivery: discordDelivery(incidentEvent(), channel, { mention: 'here' }),
      possiblySent: false,
    });
    const combined = laterEvent('resolved', {
      combined: true,
      threadKey: 'github:inc2',
      id: 'github:inc2:resolved',
    });
    const ref = await h.adapter.deliver({
      delivery: discordDelivery(combined, channel, { mention: 'here' }),
      possiblySent: false,
    });
    const [first, second] = h.fake.messagesIn(channel);
    expect(first).toMatchObject({
      content: '@here',
      allowed_mentions: { parse: ['everyone'] },
      mention_everyone: true,
    });
    expect(second).toMatchObject({
      content: '',
      allowed_mentions: { parse: [] },
      mention_everyone: false,
    });
    expect(ref).toEqual({ channelId: channel, rootId: second?.id });
    // Neither start opens a thread itself; the combined one's ref never will (no threadName).
    expect(h.fake.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(0);
  });
});
