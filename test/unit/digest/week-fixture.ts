import { pino } from 'pino';
import { mentionSyntaxes, PLATFORMS } from '../../../adapters/registry.js';
import type { CommandContext } from '../../../commands/command.js';
import { runCommand } from '../../../commands/registry.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { MemoryCatalog } from '../../../src/sources/memory-catalog.js';
import type { HistoryIncident } from '../../../src/store/history.js';
import type { Store } from '../../../src/store/store.js';
import { catalogService } from '../../helpers/services.js';
import { subscription } from '../../helpers/subscriptions.js';
import { registered } from '../commands/command-fixtures.js';

/**
 * The week the digest tests simulate, and what the store holds before it: four channels and the
 * incident history of the services they follow.
 */

const HOUR = 60 * 60_000;
export const DAY = 24 * HOUR;
/** A Sunday, noon UTC: the simulated week runs to the next Sunday noon. */
export const WEEK_START = Date.parse('2026-11-29T12:00:00.000Z');
export const WEEK_END = WEEK_START + 7 * DAY;

/** Mondays 09:00 Europe/Berlin (08:00 UTC in winter). */
export const BERLIN: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
/** Fridays 17:00 America/New_York (22:00 UTC in winter), major incidents and up of GitHub. */
export const NEW_YORK: ChannelRef = {
  platform: 'discord',
  workspaceId: '111111111111111111',
  channelId: '222222222222222222',
};
/** Follows GitHub, never opts in. */
export const NEVER: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C3' };
/** Wednesdays 18:00 Asia/Tokyo, turned off on Tuesday. */
export const TOKYO: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C4' };
/** When TOKYO turns its digest off. */
export const TOKYO_OFF_AT = Date.parse('2026-12-01T10:00:00.000Z');

export const catalog = new MemoryCatalog([
  catalogService('github', 'GitHub'),
  catalogService('cloudflare', 'Cloudflare'),
]);

const incident = (
  id: string,
  title: string,
  impact: HistoryIncident['impact'],
  startedAt: string,
  resolvedAt?: string,
  url?: string,
): HistoryIncident => ({
  id,
  title,
  impact,
  origin: 'status_page',
  components: [],
  startedAt,
  ...(resolvedAt ? { resolvedAt } : {}),
  ...(url ? { url } : {}),
  updates: [],
});

/** GitHub: one before any period, one minor, two overlapping, one critical spanning both weeks. */
export const GITHUB_HISTORY = [
  incident('g0', 'Old news', 'major', '2026-11-20T10:00:00.000Z', '2026-11-20T11:00:00.000Z'),
  incident(
    'g1',
    'API errors <!channel> @everyone',
    'minor',
    '2026-11-25T10:00:00.000Z',
    '2026-11-25T12:30:00.000Z',
  ),
  incident(
    'g2',
    'Actions delayed',
    'major',
    '2026-11-27T20:00:00.000Z',
    '2026-11-27T21:00:00.000Z',
  ),
  incident('g3', 'Webhooks slow', 'major', '2026-11-27T20:30:00.000Z', '2026-11-27T21:15:00.000Z'),
  incident(
    'g4',
    'Git operations failing',
    'critical',
    '2026-11-29T22:00:00.000Z',
    '2026-12-01T04:00:00.000Z',
    'https://www.githubstatus.com/incidents/g4',
  ),
];

/** Cloudflare: one incident, opened mid-week and still open. */
export const CLOUDFLARE_HISTORY = [
  incident('c1', 'Dashboard *slow*', 'minor', '2026-12-02T09:00:00.000Z'),
];

/** The command context of `channel`, for a manager, at the time `now` gives. */
export function commandContext(store: Store, channel: ChannelRef, now: () => Date): CommandContext {
  return {
    channel,
    userId: 'U1',
    canManage: true,
    checkMention: async () => ({ ok: true }),
    services: {
      store,
      catalog,
      now,
      managePolicy: 'everyone',
      mentionSyntaxes: mentionSyntaxes(PLATFORMS),
      logger: pino({ level: 'silent' }),
    },
  };
}

export const digestCommand = (store: Store, channel: ChannelRef, at: number, options: object) =>
  runCommand(
    registered('digest'),
    commandContext(store, channel, () => new Date(at)),
    options as Record<string, string>,
  );

/** Subscriptions, history and the three opt-ins, all made the day before the week starts. */
export async function seedWeek(store: Store): Promise<void> {
  const before = WEEK_START - DAY;
  await store.putSubscription(subscription({ channel: BERLIN }));
  await store.putSubscription(subscription({ channel: BERLIN, serviceId: 'cloudflare' }));
  await store.putSubscription(
    subscription({ channel: NEW_YORK, filters: { minImpact: 'major', components: [] } }),
  );
  await store.putSubscription(subscription({ channel: NEW_YORK, serviceId: 'cloudflare' }));
  await store.putSubscription(subscription({ channel: NEVER }));
  await store.putSubscription(subscription({ channel: TOKYO }));
  await store.history.record('github', GITHUB_HISTORY, before);
  await store.history.record('cloudflare', CLOUDFLARE_HISTORY, before);
  const optIns: [ChannelRef, object][] = [
    [BERLIN, { mode: 'weekly', day: 'monday', hour: '9', timezone: 'Europe/Berlin' }],
    [NEW_YORK, { mode: 'weekly', day: 'fri', hour: '17', timezone: 'America/New_York' }],
    [TOKYO, { mode: 'weekly', day: 'wed', hour: '18', timezone: 'Asia/Tokyo' }],
  ];
  for (const [channel, options] of optIns) {
    const reply = await digestCommand(store, channel, before, options);
    if (reply.error) throw new Error(`opt-in refused: ${reply.text}`);
  }
}
