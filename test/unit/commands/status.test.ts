import { describe, expect, it } from 'vitest';
import { formatTime } from '../../../commands/format.js';
import { runCommand } from '../../../commands/registry.js';
import { emptyState } from '../../../src/incidents/state.js';
import { harnessPerTest, incident, minutesAgo, registered, stateOf } from './command-fixtures.js';

const status = registered('status');
const subscribe = registered('subscribe');

const maintenance = (id: string, over: Parameters<typeof incident>[1]) =>
  incident(id, { kind: 'maintenance', impact: 'none', title: `Maintenance ${id}`, ...over });

describe('status (this channel)', () => {
  const h = harnessPerTest();

  it('says how to start when the channel follows nothing', async () => {
    const reply = await runCommand(status, h.ctx, {});
    expect(reply).toEqual({
      visibility: 'ephemeral',
      text: 'This channel follows no services. Ask about one with /outage status github, or follow it with /outage subscribe github.',
    });
  });

  it('lists open incidents, unreachable pages and quiet services', async () => {
    for (const service of ['github', 'cloudflare', 'discord', 'newrelic']) {
      await runCommand(subscribe, h.ctx, { service });
    }
    await h.test.store.commitPoll(
      stateOf('github', [
        incident('minor1', { impact: 'minor', title: 'Slow API' }),
        incident('crit1', { impact: 'critical', title: 'Git down', status: 'identified' }),
        incident('old', { status: 'resolved' }, { closedAt: minutesAgo(5) }),
      ]),
      [],
    );
    await h.test.store.commitPoll(stateOf('discord', []), []);
    await h.test.store.commitPoll(
      {
        ...stateOf('cloudflare', []),
        health: { consecutiveFailures: 4, lastOkAt: minutesAgo(10), lastError: 'HTTP 503' },
      },
      [],
    );
    const reply = await runCommand(status, h.ctx, {});
    expect(reply).toEqual({
      visibility: 'ephemeral',
      title: "This channel's services",
      text: '2 of the 4 services this channel follows have open incidents or an unreachable status page.',
      items: [
        {
          label: 'Cloudflare',
          detail: `status page unreachable since ${formatTime(minutesAgo(10))} (4 failed polls in a row)`,
        },
        { label: 'Discord', detail: 'no open incidents' },
        {
          label: 'GitHub: Git down',
          detail: `critical impact, identified, since ${formatTime(minutesAgo(30))}`,
          url: 'https://status.example/incidents/crit1',
        },
        {
          label: 'GitHub: Slow API',
          detail: `minor impact, investigating, since ${formatTime(minutesAgo(30))}`,
          url: 'https://status.example/incidents/minor1',
        },
        { label: 'New Relic', detail: 'not polled yet' },
      ],
    });
  });

  it('says all clear only when every page answered', async () => {
    await runCommand(subscribe, h.ctx, { service: 'github' });
    await h.test.store.commitPoll(stateOf('github', []), []);
    const reply = await runCommand(status, h.ctx, {});
    expect(reply.text).toBe('No open incidents across the 1 service this channel follows.');
  });

  it('never calls a page that was never reached all clear', async () => {
    await runCommand(subscribe, h.ctx, { service: 'github' });
    await h.test.store.commitPoll(
      { ...emptyState('github'), health: { consecutiveFailures: 2, lastError: 'timeout' } },
      [],
    );
    const reply = await runCommand(status, h.ctx, {});
    expect(reply.items).toEqual([
      {
        label: 'GitHub',
        detail: 'status page unreachable since the first poll (2 failed polls in a row)',
      },
    ]);
    expect(reply.text).not.toContain('No open incidents');
  });
});

describe('status <service>', () => {
  const h = harnessPerTest();

  it('shows open incidents, maintenances, components and the last poll', async () => {
    await h.test.store.commitPoll(
      stateOf(
        'github',
        [
          incident('i1', { title: 'Webhooks delayed', impact: 'major', components: ['Webhooks'] }),
          maintenance('m1', {
            status: 'in_progress',
            scheduledFor: minutesAgo(20),
            scheduledUntil: '2030-01-01T02:00:00.000Z',
          }),
          maintenance('m2', { status: 'scheduled', scheduledFor: '2030-01-02T03:00:00.000Z' }),
        ],
        {
          a: { name: 'API Requests', status: 'operational', since: minutesAgo(100) },
          b: { name: 'Webhooks', status: 'partial_outage', since: minutesAgo(25) },
          c: { name: 'Pages', status: 'degraded_performance', since: minutesAgo(15) },
        },
      ),
      [],
    );
    const reply = await runCommand(status, h.ctx, { service: 'GitHub' });
    expect(reply).toEqual({
      visibility: 'ephemeral',
      title: 'GitHub status',
      text: `Last successful poll: ${formatTime(minutesAgo(1))}.\n1 open incident, 2 maintenances, 2 components not operational.`,
      items: [
        {
          label: 'Webhooks delayed',
          detail: `major impact, investigating, since ${formatTime(minutesAgo(30))}`,
          url: 'https://status.example/incidents/i1',
        },
        {
          label: 'Maintenance m1',
          detail: 'maintenance in progress, until 2030-01-01 02:00 UTC',
          url: 'https://status.example/incidents/m1',
        },
        {
          label: 'Maintenance m2',
          detail: 'maintenance scheduled for 2030-01-02 03:00 UTC',
          url: 'https://status.example/incidents/m2',
        },
        { label: 'Webhooks', detail: `partial outage since ${formatTime(minutesAgo(25))}` },
        { label: 'Pages', detail: `degraded performance since ${formatTime(minutesAgo(15))}` },
      ],
    });
  });

  it('says all clear for a healthy, quiet service', async () => {
    await h.test.store.commitPoll(stateOf('github', []), []);
    const reply = await runCommand(status, h.ctx, { service: 'github' });
    expect(reply.text).toBe(
      `Last successful poll: ${formatTime(minutesAgo(1))}.\nNo open incidents; every component of GitHub is operational.`,
    );
    expect(reply.items).toEqual([]);
  });

  it('reports an unreachable page with the last known state, never as all clear', async () => {
    await h.test.store.commitPoll(
      {
        ...stateOf('github', []),
        health: {
          consecutiveFailures: 1,
          lastOkAt: '2025-05-06T07:08:00.000Z',
          lastError: 'HTTP 502',
        },
      },
      [],
    );
    const reply = await runCommand(status, h.ctx, { service: 'github' });
    expect(reply.text).toBe(
      "Status page unreachable since 2025-05-06 07:08 UTC (1 failed poll in a row); below is the last known state.\nLast error: HTTP 502\nNo open incidents were known when GitHub's page was last reached.",
    );
  });

  it('explains that an unfollowed service has no data', async () => {
    const reply = await runCommand(status, h.ctx, { service: 'discord' });
    expect(reply).toEqual({
      visibility: 'ephemeral',
      text: 'I have no data on Discord yet: services are polled while a channel follows them. /outage subscribe discord starts that.',
    });
  });

  it('suggests a service on a typo', async () => {
    const reply = await runCommand(status, h.ctx, { service: 'discrod' });
    expect(reply.error).toBe(true);
    expect(reply.text).toContain('Did you mean Discord?');
  });
});
