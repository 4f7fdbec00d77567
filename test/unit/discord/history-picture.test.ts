import { afterEach, describe, expect, it } from 'vitest';
import { LEVEL_COLORS } from '../../../src/board/day-bars.js';
import type { FakeMessage } from '../../fakes/discord/index.js';
import { barColor } from '../../helpers/png-pixels.js';
import { HISTORY, NOW } from '../pictures/history-fixture.js';
import { type Harness, startHarness } from './harness.js';

const EPHEMERAL = 64;

/** As sent: markdown escaped (Discord shows the parentheses plainly). */
const FIGURES = [
  'Incidents: 4 \\(1 critical, 1 major, 1 minor, 1 no impact stated\\), 1 still open',
  'Total downtime: 7h',
  'Mean time to resolve: 3h',
].join('\n');

const ALT =
  "Bar chart of GitHub's incidents over the last 90 days, one bar per day: critical impact on 1 day; major impact on 1 day; incidents with no impact stated on 1 day; no incidents on 87 days.";

interface SentAttachment {
  id: string;
  filename: string;
  description?: string;
  content_type: string;
  url: string;
}

async function start(): Promise<Harness> {
  const harness = await startHarness({ services: { now: () => new Date(NOW) } });
  await harness.services.store.history.record('github', HISTORY, NOW);
  return harness;
}

/** The message's one attachment, its bytes as the fake kept them, and the embed showing it. */
function picture(h: Harness, message: FakeMessage | undefined) {
  const attachments = (message?.attachments ?? []) as SentAttachment[];
  expect(attachments).toHaveLength(1);
  const [attachment] = attachments as [SentAttachment];
  const bytes = h.fake.state.attachmentBytes.get(attachment.id);
  return { attachment, png: new Uint8Array(bytes ?? []), embed: message?.embeds[0] };
}

describe('discord adapter: /outage history', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('answers in the channel with the figures and the PNG attached, sent multipart', async () => {
    h = await start();
    const answer = await h.fake.interact({
      subcommand: 'history',
      options: { service: 'github' },
      channel: h.fake.channels.general,
    });
    expect(answer.callbacks.map((c) => c.type)).toEqual([4]);
    expect(answer.messages).toHaveLength(1);
    expect((answer.messages[0]?.flags ?? 0) & EPHEMERAL).toBe(0);
    const { attachment, png, embed } = picture(h, answer.messages[0]);
    expect(embed).toMatchObject({ title: 'GitHub: last 90 days', description: FIGURES });
    expect(embed?.image).toEqual({ url: attachment.url });
    expect(attachment).toMatchObject({
      filename: 'github-history-90d.png',
      description: ALT,
      content_type: 'image/png',
    });
    expect(barColor(png, 0, 90)).toBe(LEVEL_COLORS.critical);
    expect(barColor(png, 45, 90)).toBe(LEVEL_COLORS.ok);
    expect(barColor(png, 86, 90)).toBe(LEVEL_COLORS.major);
    expect(barColor(png, 89, 90)).toBe(LEVEL_COLORS.none);
    const [sent] = h.fake.callsTo('POST /interactions/:id/:id/callback');
    expect(String(sent?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent?.files?.map((f) => f.field)).toEqual(['files[0]']);
  });

  it('swaps a private deferral for a public follow-up with the picture when slow', async () => {
    h = await start();
    const { history } = h.services.store;
    const list = history.list.bind(history);
    history.list = async (...args) => {
      await h.fake.waitFor(
        () => [...h.fake.state.interactions.values()].some((r) => r.callbacks[0]?.type === 5),
        { timeoutMs: 20_000, what: 'the bot to defer the interaction' },
      );
      return list(...args);
    };
    const answer = await h.fake.interact(
      {
        subcommand: 'history',
        options: { service: 'github', days: '7' },
        channel: h.fake.channels.general,
      },
      20_000,
    );
    expect(answer.callbacks[0]).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    expect(answer.deletedOriginal).toBe(true);
    expect(answer.messages).toHaveLength(2);
    const followUp = answer.messages[1];
    expect((followUp?.flags ?? 0) & EPHEMERAL).toBe(0);
    const { png, embed } = picture(h, followUp);
    expect(embed?.title).toBe('GitHub: last 7 days');
    expect(barColor(png, 3, 7)).toBe(LEVEL_COLORS.major);
  });

  it('answers a bad number of days privately, with no picture', async () => {
    h = await start();
    const answer = await h.fake.interact({
      subcommand: 'history',
      options: { service: 'github', days: '365' },
      channel: h.fake.channels.general,
    });
    expect(answer.messages[0]?.flags).toBe(EPHEMERAL);
    expect(answer.messages[0]?.attachments).toEqual([]);
    expect(answer.messages[0]?.embeds[0]?.description).toBe(
      '/outage history shows 1 to 90 days; "365" is not a number in that range.\nExample: /outage history github 30',
    );
  });
});
