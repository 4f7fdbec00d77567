import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../commands/command.js';
import { runCommand } from '../../../commands/registry.js';
import { LEVEL_COLORS } from '../../../src/board/day-bars.js';
import { perTest } from '../../helpers/per-test.js';
import { barColor } from '../../helpers/png-pixels.js';
import { HISTORY, NOW } from '../pictures/history-fixture.js';
import { createHarness, registered } from './command-fixtures.js';

const history = registered('history');

const FIGURES_90 = [
  'Incidents: 4 (1 critical, 1 major, 1 minor, 1 no impact stated), 1 still open',
  'Total downtime: 7h',
  'Mean time to resolve: 3h',
].join('\n');

const withoutImage = ({ image, ...rest }: Reply) => rest;

describe('/outage history', () => {
  const h = perTest(
    () => createHarness({ now: () => new Date(NOW) }),
    (value) => value.test.cleanup(),
  );
  const seed = () => h.test.store.history.record('github', HISTORY, NOW);

  it('answers in the channel with the figures and a picture of the 90 days', async () => {
    await seed();
    const reply = await runCommand(history, h.ctx, { service: 'gh' });
    expect(withoutImage(reply)).toEqual({
      visibility: 'in_channel',
      title: 'GitHub: last 90 days',
      text: FIGURES_90,
    });
    expect(reply.image?.filename).toBe('github-history-90d.png');
    expect(reply.image?.altText).toBe(
      "Bar chart of GitHub's incidents over the last 90 days, one bar per day: critical impact on 1 day; major impact on 1 day; incidents with no impact stated on 1 day; no incidents on 87 days.",
    );
    const png = reply.image?.png ?? new Uint8Array();
    expect(barColor(png, 0, 90)).toBe(LEVEL_COLORS.critical);
    expect(barColor(png, 86, 90)).toBe(LEVEL_COLORS.major);
    expect(barColor(png, 89, 90)).toBe(LEVEL_COLORS.none);
  });

  it('shows fewer days when asked', async () => {
    await seed();
    const reply = await runCommand(history, h.ctx, { service: 'github', days: ' 7 ' });
    expect(withoutImage(reply)).toEqual({
      visibility: 'in_channel',
      title: 'GitHub: last 7 days',
      text: [
        'Incidents: 3 (1 major, 1 minor, 1 no impact stated), 1 still open',
        'Total downtime: 5h',
        'Mean time to resolve: 2h 30m',
      ].join('\n'),
    });
    expect(reply.image?.filename).toBe('github-history-7d.png');
    expect(barColor(reply.image?.png ?? new Uint8Array(), 3, 7)).toBe(LEVEL_COLORS.major);
  });

  it.each(['0', '91', 'thirty', '30d', '-5', '2.5'])(
    'refuses %s days, naming the range',
    async (days) => {
      await seed();
      expect(await runCommand(history, h.ctx, { service: 'github', days })).toEqual({
        visibility: 'ephemeral',
        error: true,
        text: `/outage history shows 1 to 90 days; "${days}" is not a number in that range.\nExample: /outage history github 30`,
      });
    },
  );

  it('goes back no further than the history is kept', async () => {
    await seed();
    const ctx = { ...h.ctx, services: { ...h.services, historyDays: 30 } };
    const refused = await runCommand(history, ctx, { service: 'github', days: '60' });
    expect(refused.text).toBe(
      '/outage history shows 1 to 30 days; "60" is not a number in that range.\nExample: /outage history github 30',
    );
    const reply = await runCommand(history, ctx, { service: 'github' });
    expect(reply.title).toBe('GitHub: last 30 days');
  });

  it('reads the days from the end of the text Slack sends, and names with spaces', async () => {
    await seed();
    const reply = await runCommand(history, h.ctx, { service: 'github 7' });
    expect(reply.title).toBe('GitHub: last 7 days');
    expect(await runCommand(history, h.ctx, { service: 'google cloud' })).toEqual({
      visibility: 'ephemeral',
      text: 'I have no history of Google Cloud yet: services are polled while a channel follows them. /outage subscribe google-cloud starts that.',
    });
    const bad = await runCommand(history, h.ctx, { service: 'google cloud 30d' });
    expect(bad.text).toBe(
      '/outage history shows 1 to 90 days; "30d" is not a number in that range.\nExample: /outage history github 30',
    );
  });

  it('suggests the service meant on a typo', async () => {
    expect(await runCommand(history, h.ctx, { service: 'githb' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'I don\'t know a service called "githb".\nDid you mean GitHub?\n/outage services <query> searches the services I know.',
    });
  });

  it('says there is no history of a service never polled', async () => {
    expect(await runCommand(history, h.ctx, { service: 'discord' })).toEqual({
      visibility: 'ephemeral',
      text: 'I have no history of Discord yet: services are polled while a channel follows them. /outage subscribe discord starts that.',
    });
  });

  it('needs a service', async () => {
    const reply = await runCommand(history, h.ctx, {});
    expect(reply.text).toBe(
      '/outage history needs a service.\nUsage: /outage history <service> [days]\nExample: /outage history github',
    );
  });
});
