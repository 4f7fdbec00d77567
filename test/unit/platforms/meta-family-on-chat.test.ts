import { afterEach, describe, expect, it } from 'vitest';
import { formatTime } from '../../../commands/format.js';
import { BUILTIN_SERVICES } from '../../../src/sources/catalog-data.js';
import { MemoryCatalog } from '../../../src/sources/memory-catalog.js';
import { postSlashCommand, slashCommandFields } from '../../fakes/slack/signer.js';
import { minutesAgo, seedInstagramSignals } from '../commands/command-fixtures.js';
import * as discord from '../discord/harness.js';
import * as slack from '../slack/harness.js';

/** Issue 8, Done-when 3: the Meta family as a Slack and a Discord user sees it, word for word. */

/** The status summary, shared by both platforms; `paren` is how each escapes "(" and ")". */
function instagramSummary(since: string, paren: [string, string] = ['(', ')']): string[] {
  const [open, close] = paren;
  return [
    `Last successful poll: ${formatTime(minutesAgo(1))}.`,
    '2 open incidents, 0 components not operational.',
    'Sources:',
    `• probe www.instagram.com: failing ${open}DNS SERVFAIL${close} since ${formatTime(since)}, 5 checks in a row`,
    `• metastatus metastatus.com/ig-boost: healthy, last read ${formatTime(minutesAgo(1))}`,
  ];
}

const META_FAMILY: [string, string][] = [
  ['Facebook', 'id facebook; also fb'],
  ['Instagram', 'id instagram; also ig, insta'],
  ['Messenger', 'id messenger; also fb-messenger, facebook-messenger'],
  ['Meta', 'id meta-developers; also metastatus, graph-api, meta-platform'],
  ['Meta Quest', 'id meta-quest; also quest, oculus'],
  ['Threads', 'id threads; also threads-app'],
  ['WhatsApp', 'id whatsapp; also wa, whatsapp-business'],
];

const PROBE_URL = 'https://status.example/incidents/probe:www.instagram.com:1';
const OFFICIAL_URL = 'https://status.example/incidents/9001';

describe('the Meta family on Slack', () => {
  let h: slack.Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function command(text: string) {
    if (!h) throw new Error('no harness');
    const res = await postSlashCommand({
      url: h.eventsUrl,
      signingSecret: slack.SIGNING_SECRET,
      fields: slashCommandFields({ text, userId: 'U0MEMBER', responseUrl: h.slack.responseUrl() }),
      mode: 'valid',
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { response_type: string; blocks: unknown[] };
  }

  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('/outage status instagram answers from its probe and metastatus, each with its health', async () => {
    h = await slack.startHarness();
    const since = await seedInstagramSignals(h.store.store);
    const reply = await command('status ig');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.blocks).toEqual([
      section(['*Instagram status*', ...instagramSummary(since)].join('\n')),
      section(
        [
          `• <${OFFICIAL_URL}|Instagram Boost: High disruptions> — major impact, investigating, since ${formatTime(minutesAgo(30))}`,
          `• <${PROBE_URL}|www.instagram.com: DNS SERVFAIL> — major impact, investigating, since ${formatTime(since)}`,
        ].join('\n'),
      ),
    ]);
  });

  it('/outage services meta lists the Meta family', async () => {
    h = await slack.startHarness();
    const reply = await command('services meta');
    expect(reply.blocks).toEqual([
      section(
        '*Services*\n7 services match "meta".\nFollow one with /outage subscribe &lt;id&gt;.',
      ),
      section(META_FAMILY.map(([name, detail]) => `• *${name}* — ${detail}`).join('\n')),
    ]);
  });
});

describe('the Meta family on Discord', () => {
  let h: discord.Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const start = async () =>
    discord.startHarness({ services: { catalog: new MemoryCatalog([...BUILTIN_SERVICES]) } });

  const embedOf = (record: { callbacks: { data?: unknown }[] }) =>
    (record.callbacks[0]?.data as { embeds?: { title?: string; description?: string }[] })
      ?.embeds?.[0];

  it('/outage status instagram answers from its probe and metastatus, each with its health', async () => {
    h = await start();
    const since = await seedInstagramSignals(h.store.store);
    const answer = await h.fake.interact({
      subcommand: 'status',
      options: { service: 'ig' },
      channel: h.fake.channels.general,
    });
    const embed = embedOf(answer);
    expect(embed?.title).toBe('Instagram status');
    expect(embed?.description?.split('\n')).toEqual([
      ...instagramSummary(since, ['\\(', '\\)']),
      `• [Instagram Boost: High disruptions](${OFFICIAL_URL}): major impact, investigating, since ${formatTime(minutesAgo(30))}`,
      `• [www.instagram.com: DNS SERVFAIL](${PROBE_URL}): major impact, investigating, since ${formatTime(since)}`,
    ]);
  });

  it('/outage services meta lists the Meta family', async () => {
    h = await start();
    const answer = await h.fake.interact({
      subcommand: 'services',
      options: { query: 'meta' },
      channel: h.fake.channels.general,
    });
    expect(embedOf(answer)?.description?.split('\n')).toEqual([
      '7 services match "meta".',
      'Follow one with /outage subscribe \\<id\\>.',
      ...META_FAMILY.map(([name, detail]) => `• **${name}**: ${detail}`),
    ]);
  });
});
