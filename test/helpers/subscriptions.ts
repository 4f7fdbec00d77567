import type { Subscription } from '../../src/incidents/subscription.js';

/**
 * A subscription of Slack channel T1/C1 to GitHub as `/outage subscribe` stores it with no
 * options: every incident, no mention (and `major` as the mention floor); override anything.
 */
export function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    serviceId: 'github',
    channel: { platform: 'slack', workspaceId: 'T1', channelId: 'C1' },
    filters: { minImpact: 'none', components: [] },
    mention: 'none',
    mentionMinImpact: 'major',
    createdAt: '2024-06-10T14:00:00.000Z',
    createdBy: 'U1',
    ...overrides,
  };
}
