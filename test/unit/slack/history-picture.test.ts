import { afterEach, describe, expect, it } from 'vitest';
import { LEVEL_COLORS } from '../../../src/board/day-bars.js';
import type { Store } from '../../../src/store/store.js';
import { postSlashCommand, slashCommandFields } from '../../fakes/slack/signer.js';
import { barColor } from '../../helpers/png-pixels.js';
import { HISTORY, NOW } from '../pictures/history-fixture.js';
import { type Harness, type HarnessOptions, SIGNING_SECRET, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const FIGURES = [
  'Incidents: 4 (1 critical, 1 major, 1 minor, 1 no impact stated), 1 still open',
  'Total downtime: 7h',
  'Mean time to resolve: 3h',
];

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ ...options, services: { now: () => new Date(NOW) } });
  await h.store.store.history.record('github', HISTORY, NOW);
  return h;
}

async function command(harness: Harness, text: string) {
  const res = await postSlashCommand({
    url: harness.eventsUrl,
    signingSecret: SIGNING_SECRET,
    fields: slashCommandFields({ text, responseUrl: harness.slack.responseUrl() }),
    mode: 'valid',
  });
  return { status: res.status, body: await res.text() };
}

/** The store, with history reads held until `release` is called. */
function holdHistory(store: Store): { store: Store; release: () => void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const history: Store['history'] = {
    record: (...args) => store.history.record(...args),
    list: async (...args) => {
      await gate;
      return store.history.list(...args);
    },
  };
  const held = new Proxy(store, {
    get(target, key) {
      if (key === 'history') return history;
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: held, release };
}

describe('Slack /outage history', () => {
  it('uploads the PNG to the channel with the figures as its message, once', async () => {
    const harness = await start();
    const res = await command(harness, 'history github');
    expect(res).toEqual({ status: 200, body: '' });
    const { slack } = harness;
    await slack.waitFor(() => slack.accepted('files.completeUploadExternal').length === 1);
    const asked = slack.accepted('files.getUploadURLExternal');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.args).toMatchObject({
      filename: 'github-history-90d.png',
      alt_text:
        "Bar chart of GitHub's incidents over the last 90 days, one bar per day: critical impact on 1 day; major impact on 1 day; incidents with no impact stated on 1 day; no incidents on 87 days.",
    });
    const messages = slack.workspace.channels.get('C0GENERAL')?.messages ?? [];
    expect(messages.map((m) => ({ text: m.text, files: m.files?.length }))).toEqual([
      { text: ['*GitHub: last 90 days*', ...FIGURES].join('\n'), files: 1 },
    ]);
    const file = slack.files.files.get(messages[0]?.files?.[0] ?? '');
    expect(file?.channel).toBe('C0GENERAL');
    // The declared length matched the bytes (the fake refuses an upload that does not).
    expect(asked[0]?.args.length).toBe(String(file?.bytes?.length));
    const png = new Uint8Array(file?.bytes ?? []);
    expect(barColor(png, 0, 90)).toBe(LEVEL_COLORS.critical);
    expect(barColor(png, 45, 90)).toBe(LEVEL_COLORS.ok);
    expect(barColor(png, 86, 90)).toBe(LEVEL_COLORS.major);
    expect(barColor(png, 89, 90)).toBe(LEVEL_COLORS.none);
    expect(slack.responses).toEqual([]);
    expect(slack.accepted('chat.postMessage')).toEqual([]);
  });

  it('tells only the asker, with the figures, when the bot is not in the channel', async () => {
    const harness = await start({ fake: { channels: [] } });
    harness.slack.workspace.addChannel('C0GENERAL', { member: false });
    await command(harness, 'history github 7');
    const { slack } = harness;
    await slack.waitFor(() => slack.responses.length === 1, 'the response_url post');
    const body = slack.responses[0]?.body ?? {};
    expect(body.response_type).toBe('ephemeral');
    expect(body.replace_original).toBe(false);
    expect(body.text).toBe(
      "GitHub: last 7 days: I can't post the picture here because I'm not a member of this channel: invite me with /invite and ask again.\nIncidents: 3 (1 major, 1 minor, 1 no impact stated), 1 still open\nTotal downtime: 5h\nMean time to resolve: 2h 30m",
    );
    expect(slack.callsTo('files.completeUploadExternal').map((c) => c.error)).toEqual([
      'not_in_channel',
    ]);
    expect(slack.workspace.channels.get('C0GENERAL')?.messages).toEqual([]);
  });

  it('replaces "Working on it" once a slow picture is up', async () => {
    const harness = await start({ tuning: { ackBudgetMs: 0 } });
    const held = holdHistory(harness.store.store);
    harness.services.store = held.store;
    const res = await command(harness, 'history github');
    expect(JSON.parse(res.body).text).toBe('Working on it…');
    held.release();
    const { slack } = harness;
    await slack.waitFor(() => slack.responses.length === 1, 'the response_url post');
    expect(slack.accepted('files.completeUploadExternal')).toHaveLength(1);
    expect(slack.responses[0]?.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Posted the picture in this channel.',
      replace_original: true,
    });
  });
});
