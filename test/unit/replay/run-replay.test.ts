import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createPreviewAdapter } from '../../../adapters/console/preview-adapter.js';
import type { PlatformEntry } from '../../../adapters/platform.js';
import { PREVIEWS } from '../../../adapters/previews.js';
import { slackMentionSyntax } from '../../../adapters/slack/mention-syntax.js';
import { parseTimeline } from '../../../src/replay/load-timeline.js';
import { runReplay, stampMessage, type WallClock } from '../../../src/replay/run-replay.js';

/** Facebook's front door fails for eight minutes; two people report it meanwhile; the thread closes after the hold. */
const TIMELINE = `
name: a short DNS outage
date: 2021-10-04
from: "15:30"
until: "16:00"
services: [facebook]
signals:
  - { at: "15:30", kind: source, url: "https://metastatus.com/data/orgs.json", json: [] }
  - { at: "15:30", kind: source, url: "https://metastatus.com/data/outages/*", json: [] }
  - { at: "15:32", kind: host, hosts: [www.facebook.com], dns: servfail }
  - { at: "15:33", kind: report, service: facebook, users: 2, text: feed is blank }
  - { at: "15:40", kind: host, hosts: [www.facebook.com] }
`;

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** The console showing a platform's rendering, as `--platform <name>` wires it. */
const preview = (name: string): PlatformEntry[] => {
  const renderer = PREVIEWS[name];
  if (!renderer) throw new Error(`no preview for ${name}`);
  return [
    {
      platform: name,
      config: { spec: {} },
      mentions: slackMentionSyntax,
      create: (deps) => createPreviewAdapter(name, renderer, deps.writeOut),
    },
  ];
};

async function replay(speed: number | 'max', wall?: WallClock, platforms: PlatformEntry[] = []) {
  const dataDir = await mkdtemp(join(tmpdir(), 'replay-test-'));
  dirs.push(dataDir);
  const printed: string[] = [];
  const reports: string[] = [];
  const result = await runReplay({
    timeline: parseTimeline(TIMELINE, 'short.yml'),
    speed,
    ...(wall ? { wall } : {}),
    platforms,
    dataDir,
    logger: pino({ level: 'silent' }),
    print: (text) => printed.push(text),
    readFile: (path) => readFile(path, 'utf8'),
    playReport: async (signal, { at }) => {
      reports.push(`${at.toISOString()} ${signal.service} ${signal.users} ${signal.text ?? ''}`);
    },
  });
  return { result, printed: printed.join(''), reports };
}

const EXPECTED = [
  '15:32:31 ┏ [facebook:probe:www.facebook.com:1633361521809] 🟠 Incident started: Facebook — www.facebook.com: DNS SERVFAIL',
  '         ┃ Impact: major · Status: Investigating · Since 2021-10-04 15:32 UTC',
  "         \u2503 Suspected: outage-bot's probe fails",
  '         ┃ Components: www.facebook.com',
  '         ┃ Probe: DNS SERVFAIL for www.facebook.com since 15:32 UTC (3 failed checks in a row).',
  '         ┃ https://www.facebook.com/',
  '         ┗',
  '15:40:16   ↳ [facebook:probe:www.facebook.com:1633361521809] Update (Monitoring): Probe: www.facebook.com answers again (HTTP 200), 2 good checks in a row.',
  '15:51:00   ↳ [facebook:probe:www.facebook.com:1633361521809] ✅ Resolved after 8m 15s: Every signal has been clear for 10m: probes healthy.',
  '15:51:00   ✎ [facebook:probe:www.facebook.com:1633361521809] start message now reads: Resolved (lasted 8m 15s) — Facebook: www.facebook.com: DNS SERVFAIL',
  '',
].join('\n');

describe('runReplay: a timeline through the real bot on a simulated clock', () => {
  it('prints each message once, stamped with its simulated time, and hands reports to the hook', async () => {
    const { result, printed, reports } = await replay('max');
    expect(printed).toBe(EXPECTED);
    expect(result.messages).toBe(4);
    expect(reports).toEqual(['2021-10-04T15:33:00.000Z facebook 2 feed is blank']);
  });

  it('paces a finite speed by the wall clock and prints the same', async () => {
    let wallMs = 0;
    const wall: WallClock = {
      now: () => wallMs,
      sleep: async (ms) => {
        wallMs += ms;
      },
    };
    const { printed } = await replay(60, wall);
    expect(printed).toBe(EXPECTED);
    // Thirty simulated minutes at 60x: just under thirty wall seconds (the last timer before 16:00).
    expect(wallMs).toBeGreaterThan(29_000);
    expect(wallMs).toBeLessThanOrEqual(30_000);
  });

  it('shows the same thread as Slack would render it, with the edit Slack would make', async () => {
    const { printed } = await replay('max', undefined, preview('slack'));
    expect(printed).toBe(
      [
        '15:32:31 slack ┏ [facebook:probe:www.facebook.com:1633361521809] :large_orange_circle: Facebook: www.facebook.com: DNS SERVFAIL',
        "         \u2503 *Service*: Facebook \u00b7 *Impact*: :large_orange_circle: Major \u00b7 *Status*: Investigating \u00b7 *Started*: 2021-10-04 15:32 UTC \u00b7 *Confidence*: Suspected: outage-bot's probe fails \u00b7 *Components*: www.facebook.com",
        '         ┃ *Investigating* · 2021-10-04 15:32 UTC',
        '         ┃ Probe: DNS SERVFAIL for www.facebook.com since 15:32 UTC (3 failed checks in a row).',
        "         \u2503 View on the status page (https://www.facebook.com/) \u00b7 Detected by outage-bot's own checks, not by the status page.",
        '         ┗',
        '15:40:16   ↳ [facebook:probe:www.facebook.com:1633361521809] *Monitoring* · 2021-10-04 15:40 UTC',
        '             Probe: www.facebook.com answers again (HTTP 200), 2 good checks in a row.',
        '15:51:00   ↳ [facebook:probe:www.facebook.com:1633361521809] :white_check_mark: *Resolved* after 8m 15s · 2021-10-04 15:51 UTC',
        '             Every signal has been clear for 10m: probes healthy.',
        '15:51:00   ✎ [facebook:probe:www.facebook.com:1633361521809] start message now reads: :white_check_mark: Resolved · Facebook: www.facebook.com: DNS SERVFAIL',
        '',
      ].join('\n'),
    );
  });

  it('shows the same thread as Discord would render it', async () => {
    const { printed } = await replay('max', undefined, preview('discord'));
    expect(printed).toBe(
      [
        '15:32:31 discord ┏ [facebook:probe:www.facebook.com:1633361521809] thread "Facebook: www.facebook.com: DNS SERVFAIL"',
        '         ┃ Facebook — www.facebook.com: DNS SERVFAIL (https://www.facebook.com/)',
        '         ┃ Probe: DNS SERVFAIL for www.facebook.com since 15:32 UTC (3 failed checks in a row).',
        "         \u2503 Status: Investigating \u00b7 Impact: Major \u00b7 Started: 2021-10-04 15:32 UTC \u00b7 Confidence: Suspected: outage-bot's probe fails \u00b7 Components: www.facebook.com",
        "         \u2503 Detected by outage-bot's own checks",
        '         ┗',
        '15:40:16   ↳ [facebook:probe:www.facebook.com:1633361521809] Monitoring',
        '             Probe: www.facebook.com answers again (HTTP 200), 2 good checks in a row.',
        '15:51:00   ↳ [facebook:probe:www.facebook.com:1633361521809] Resolved',
        '             Every signal has been clear for 10m: probes healthy.',
        '             Duration: 8m 15s',
        '15:51:00   ✎ [facebook:probe:www.facebook.com:1633361521809] start message now reads: Facebook — www.facebook.com: DNS SERVFAIL (https://www.facebook.com/)',
        '             **Resolved** after 8m 15s.',
        '',
      ].join('\n'),
    );
  });

  it('indents the other lines of a message under its time', () => {
    expect(stampMessage(Date.parse('2021-10-04T15:40:30Z'), 'one\ntwo\n')).toBe(
      '15:40:30 one\n         two\n',
    );
  });
});
