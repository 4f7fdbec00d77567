import { describe, expect, it } from 'vitest';
import { pageLag } from '../../../src/incidents/page-lag.js';
import type { SignalState } from '../../../src/incidents/signal-state.js';
import { at } from './merge-signals-fixture.js';

describe('page lag', () => {
  const record = (closedDay: number, lagMinutes?: number) => ({
    threadKey: `t${closedDay}`,
    firstSignalAt: at(closedDay * 1440),
    ...(lagMinutes === undefined ? {} : { officialAt: at(closedDay * 1440 + lagMinutes) }),
    closedAt: at(closedDay * 1440 + 120),
  });

  it('takes the median over 90 days and counts the outages the page never announced', () => {
    const state: SignalState = {
      serviceId: 'facebook',
      groups: [],
      lag: [record(0, 50), record(40), record(60, 10), record(80, 30), record(85, 20)],
    };
    expect(pageLag(state, new Date(at(95 * 1440)))).toEqual({
      outages: 4,
      neverAnnounced: 1,
      medianMs: 20 * 60_000,
    });
  });
});
