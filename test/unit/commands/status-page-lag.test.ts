import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../commands/registry.js';
import type { PageLagRecord, SignalState } from '../../../src/incidents/signal-state.js';
import { harnessPerTest, minutesAgo, registered, stateOf } from './command-fixtures.js';

const status = registered('status');

const DAY = 1440;

/** An outage probes saw first `daysAgo` days ago; the page spoke `lag` minutes later, or never. */
const outage = (daysAgo: number, lag?: number): PageLagRecord => ({
  threadKey: `github:probe:${daysAgo}`,
  firstSignalAt: minutesAgo(daysAgo * DAY),
  ...(lag === undefined ? {} : { officialAt: minutesAgo(daysAgo * DAY - lag) }),
  closedAt: minutesAgo(daysAgo * DAY - 300),
});

describe('status <service>: how late its status page speaks', () => {
  const h = harnessPerTest();

  const statusWith = async (lag: PageLagRecord[]) => {
    const signals: SignalState = { serviceId: 'github', groups: [], lag };
    await h.test.store.commitPoll(stateOf('github', []), [], undefined, {
      state: signals,
      version: 0,
    });
    const reply = await runCommand(status, h.ctx, { service: 'github' });
    return reply.text.split('\n');
  };

  it('shows the median lag over 90 days and the outages the page never announced', async () => {
    const lines = await statusWith([
      outage(120, 5),
      outage(60, 40),
      outage(30),
      outage(10, 18),
      outage(2, 29),
    ]);
    expect(lines).toContain(
      'Status page lag over 90 days: 4 outages seen first by probes or user reports; the page announced 3, a median of 29m after the first signal, and never announced 1.',
    );
  });

  it('says when the page announced none of them', async () => {
    expect(await statusWith([outage(3)])).toContain(
      'Status page lag over 90 days: 1 outage seen first by probes or user reports; the page announced none of them.',
    );
  });
});

describe('status <service> with no outage seen first', () => {
  const h = harnessPerTest();

  it('has no page-lag line', async () => {
    await h.test.store.commitPoll(stateOf('github', []), []);
    const reply = await runCommand(status, h.ctx, { service: 'github' });
    expect(reply.title).toBe('GitHub status');
    expect(reply.text).not.toContain('Status page lag');
  });
});
