import { describe, expect, it } from 'vitest';
import { mentionSyntaxes, PLATFORMS } from '../../../adapters/registry.js';
import type { CommandContext, CommandServices } from '../../../commands/command.js';
import { parseCommandText } from '../../../commands/parse-text.js';
import { runCommand } from '../../../commands/registry.js';
import { cleanReportText, type ReportSettings } from '../../../commands/report.js';
import type { MentionSyntax } from '../../../commands/values.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { perTest } from '../../helpers/per-test.js';
import { CHANNEL, createHarness, type Harness, NOW, registered } from './command-fixtures.js';

const HOUR = 60 * 60_000;
const report = registered('report');

interface ReportHarness extends Harness {
  counted: string[];
  /** `/outage report <service> [details]` by `user` from `channel`, `minutes` after NOW. */
  send(
    user: string,
    service: string,
    opts?: { details?: string; channel?: ChannelRef; minutes?: number },
  ): Promise<string>;
}

async function createReportHarness(): Promise<ReportHarness> {
  const counted: string[] = [];
  let clock = NOW.getTime();
  const settings: ReportSettings = {
    limits: {
      dedupMs: 10 * 60_000,
      perUser: { max: 3, windowMs: HOUR },
      perChannel: { max: 6, windowMs: HOUR },
    },
    onCounted: (serviceId) => counted.push(serviceId),
  };
  const harness = await createHarness({ reports: settings, now: () => new Date(clock) });
  const send: ReportHarness['send'] = async (user, service, opts = {}) => {
    clock = NOW.getTime() + (opts.minutes ?? 0) * 60_000;
    const ctx: CommandContext = harness.ctxFor(opts.channel ?? CHANNEL, { userId: user });
    const options = { service, ...(opts.details !== undefined ? { details: opts.details } : {}) };
    const reply = await runCommand(report, ctx, options);
    expect(reply.visibility).toBe('ephemeral');
    return reply.text;
  };
  return { ...harness, counted, send };
}

describe('/outage report', () => {
  const h = perTest(createReportHarness, (x) => x.test.cleanup());

  it('counts the report and says how many others reported in the last 30 minutes', async () => {
    expect(await h.send('U1', 'github')).toBe(
      'Thanks, your report about GitHub is counted.\nNobody else has reported GitHub in the last 30 min.',
    );
    expect(await h.send('U2', 'gh', { minutes: 1 })).toBe(
      'Thanks, your report about GitHub is counted.\n1 other person has reported GitHub in the last 30 min.',
    );
    expect(
      await h.send('U3', 'GitHub', { minutes: 2, channel: { ...CHANNEL, channelId: 'C9' } }),
    ).toBe(
      'Thanks, your report about GitHub is counted.\n2 other people have reported GitHub in the last 30 min.',
    );
    // Half an hour on, U1 and U2 have dropped out of the count; U3 (minute 2) is still in.
    expect(await h.send('U4', 'github', { minutes: 32 })).toBe(
      'Thanks, your report about GitHub is counted.\n1 other person has reported GitHub in the last 30 min.',
    );
    expect(h.counted).toEqual(['github', 'github', 'github', 'github']);
  });

  it('the same person again within the window is counted once, and told so', async () => {
    await h.send('U1', 'github');
    await h.send('U2', 'github');
    expect(await h.send('U1', 'github', { minutes: 4 })).toBe(
      'You already reported GitHub in the last 10 min; you are counted once.\n1 other person has reported GitHub in the last 30 min.',
    );
    expect(h.counted).toEqual(['github', 'github']);
    // The same user id from another workspace is another person.
    const elsewhere = { platform: 'discord', workspaceId: 'G1', channelId: 'C1' };
    expect(await h.send('U1', 'github', { minutes: 5, channel: elsewhere })).toBe(
      'Thanks, your report about GitHub is counted.\n2 other people have reported GitHub in the last 30 min.',
    );
  });

  it('refuses past the per-user and per-channel limits, counting nothing', async () => {
    for (const service of ['github', 'discord', 'cloudflare']) await h.send('U1', service);
    const limited = await runCommand(report, h.ctxFor(CHANNEL, { userId: 'U1' }), {
      service: 'newrelic',
    });
    expect(limited).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'You have sent too many reports (at most 3 per 1h). This one was not counted; try again later.',
    });
    expect(await h.test.store.reports.countReporters('newrelic', 0, Date.now() * 2)).toBe(0);

    for (const user of ['U2', 'U3', 'U4']) await h.send(user, 'github');
    const busy = await runCommand(report, h.ctxFor(CHANNEL, { userId: 'U5' }), {
      service: 'github',
    });
    expect(busy.text).toBe(
      'This channel has sent too many reports (at most 6 per 1h). This one was not counted; try again later.',
    );
    expect(busy.error).toBe(true);
    expect(h.counted).toEqual(['github', 'discord', 'cloudflare', 'github', 'github', 'github']);
  });

  it('shows the note back as plain text, cleaned, and keeps it trimmed and cut', async () => {
    const raw = `  <!channel> feed\u202e won't\n\nload @here ${'x'.repeat(400)}`;
    const text = await h.send('U1', 'github', { details: raw });
    expect(text).toBe(
      `Thanks, your report about GitHub is counted.\nNobody else has reported GitHub in the last 30 min.\nYour note: "<!channel> feed won't load @here ${'x'.repeat(26)}…"`,
    );
    const [kept] = await h.test.store.reports.recent('github', 1);
    expect(kept?.text).toBe(cleanReportText(raw));
    expect(kept?.text).toHaveLength(300);
    expect(kept?.text.startsWith("<!channel> feed won't load @here xxx")).toBe(true);
    expect(kept?.reporterId).toBe('slack:T1:U1');
    expect(kept?.channel).toBe('slack:T1:C1');
  });

  it('an unknown service gets a "did you mean" and counts nothing', async () => {
    const reply = await runCommand(report, h.ctxFor(CHANNEL, { userId: 'U1' }), {
      service: 'githib',
    });
    expect(reply.error).toBe(true);
    expect(reply.text).toBe(
      'I don\'t know a service called "githib".\nDid you mean GitHub?\n/outage services <query> searches the services I know.',
    );
    expect(h.counted).toEqual([]);
  });

  it('Slack text: the service, then the rest as the note', () => {
    const parsed = parseCommandText("report instagram feed won't <!here> load", {
      mentions: mentionSyntaxes(PLATFORMS).get('slack') as MentionSyntax,
    });
    expect(parsed.ok && parsed.command.name).toBe('report');
    expect(parsed.ok && parsed.options).toEqual({
      service: 'instagram',
      details: "feed won't @here load",
    });
  });

  it('without report settings the command says reports are off', async () => {
    const harness = await createHarness();
    try {
      const services: CommandServices = harness.services;
      expect(services.reports).toBeUndefined();
      const reply = await runCommand(report, harness.ctx, { service: 'github' });
      expect(reply).toEqual({
        visibility: 'ephemeral',
        error: true,
        text: 'Reports are not enabled on this bot.',
      });
    } finally {
      await harness.test.cleanup();
    }
  });
});

describe('/outage status with a report incident open', () => {
  const h = perTest(createReportHarness, (x) => x.test.cleanup());

  it('lists the reports feed incident with the service, though the feed has no health line', async () => {
    const { reconcile } = await import('../../../src/incidents/reconcile.js');
    let state: ServiceState | undefined;
    for (const [minute, reporters] of [0, 6].entries()) {
      const snapshot = {
        serviceId: 'github',
        fetchedAt: new Date(NOW.getTime() + minute * 60_000).toISOString(),
        incidents: [],
        maintenances: [],
        components: [],
        resolutionsKnown: false,
        reports: { reporters, windowMs: 600_000 },
      };
      state = reconcile(state, snapshot, { serviceName: 'GitHub' }).state;
    }
    if (!state) throw new Error('no state');
    const second = state;
    await h.test.store.commitPoll({ ...second, feedKey: 'github#reports' }, []);
    await h.test.store.putSubscription({
      serviceId: 'github',
      channel: CHANNEL,
      filters: { minImpact: 'none', components: [] },
      mention: 'none',
      mentionMinImpact: 'major',
      createdAt: NOW.toISOString(),
      createdBy: 'U1',
    });
    const reply = await runCommand(registered('status'), h.ctx, {});
    expect(reply.items).toContainEqual({
      label: 'GitHub: Users report problems',
      detail: `minor impact, investigating, since ${new Date(NOW.getTime() + 60_000).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    });
  });
});
