import { afterEach, describe, expect, it } from 'vitest';
import type { ReportSettings } from '../../../commands/report.js';
import { PERMISSIONS } from '../../fakes/discord/index.js';
import { type Harness, startHarness } from './harness.js';

const EPHEMERAL = 64;
const HOUR = 60 * 60_000;

/** `/outage report` through the real discord.js client against the fake Discord. */
describe('discord adapter: /outage report', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('any member may report; the answer is private, pings nobody and counts the others', async () => {
    const counted: string[] = [];
    const reports: ReportSettings = {
      limits: {
        dedupMs: 10 * 60_000,
        perUser: { max: 10, windowMs: HOUR },
        perChannel: { max: 30, windowMs: HOUR },
      },
      onCounted: (serviceId) => counted.push(serviceId),
    };
    h = await startHarness({ services: { reports } });
    const ask = (userId: string, details?: string) =>
      h.fake.interact({
        subcommand: 'report',
        options: { service: 'github', ...(details ? { details } : {}) },
        channel: h.fake.channels.general,
        permissions: PERMISSIONS.member,
        user: { id: userId, username: `user-${userId.slice(-1)}` },
      });

    const first = await ask('300000000000000001', '@everyone pushes fail');
    expect(first.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(first.callbacks[0]?.data?.allowed_mentions).toEqual({ parse: [] });
    const second = await ask('300000000000000002');
    const embed = (
      second.callbacks[0]?.data?.embeds as { description?: string }[] | undefined
    )?.[0];
    expect(embed?.description).toBe(
      'Thanks, your report about GitHub is counted.\n1 other person has reported GitHub in the last 30 min.',
    );
    expect(counted).toEqual(['github', 'github']);
    const [latest, earlier] = await h.store.store.reports.recent('github', 2);
    expect(latest?.reporterId).toBe(`discord:${h.fake.guildId}:300000000000000002`);
    expect(earlier?.text).toBe('@everyone pushes fail');
  });
});
