import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/incidents/reconcile.js';
import { reconcile } from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import { historyOfPoll } from '../../../src/scheduler/poll-history.js';
import {
  at,
  component,
  componentSubject,
  incident,
  OPTIONS,
  resolvedIncident,
  snapshot,
  update,
} from '../incidents/factories.js';

/** Reconciles `observations` in turn and returns what each poll adds to the history. */
function historyByPoll(observations: Observation[]) {
  let state: ServiceState | undefined;
  return observations.map((observation) => {
    const result = reconcile(state, observation, OPTIONS);
    state = result.state;
    const seen = 'incidents' in observation ? observation : undefined;
    return historyOfPoll(seen, result.state, result.events);
  });
}

describe('historyOfPoll: what a poll adds to the incident history', () => {
  it('records the page history on the first poll, with every update, and no maintenance', () => {
    const [first] = historyByPoll([
      snapshot(60, {
        incidents: [resolvedIncident('old', 0, 30, { impact: 'major' }), incident('open')],
        maintenances: [],
      }),
    ]);
    expect(first).toEqual([
      {
        id: 'old',
        title: 'Incident old',
        impact: 'major',
        origin: 'status_page',
        components: [],
        startedAt: at(0),
        resolvedAt: at(30),
        url: 'https://status.acme.test/incidents/old',
        updates: [update('old-1', 'investigating', 0), update('old-r', 'resolved', 30)],
      },
      {
        id: 'open',
        title: 'Incident open',
        impact: 'minor',
        origin: 'status_page',
        components: [],
        startedAt: at(0),
        url: 'https://status.acme.test/incidents/open',
        updates: [update('open-1', 'investigating', 0)],
      },
    ]);
  });

  it('keeps the peak impact the state holds, not the lower one the page shows now', () => {
    const polls = historyByPoll([
      snapshot(1, { incidents: [incident('a', { impact: 'critical' })] }),
      snapshot(2, {
        incidents: [
          incident('a', {
            impact: 'minor',
            updates: [update('a-1', 'investigating', 0), update('a-2', 'monitoring', 2)],
          }),
        ],
      }),
    ]);
    expect(polls[1]?.map((i) => [i.id, i.impact, i.updates.map((u) => u.id)])).toEqual([
      ['a', 'critical', ['a-1', 'a-2']],
    ]);
  });

  it('records an incident made of a degraded component, and its resolution', () => {
    const polls = historyByPoll([
      snapshot(0, { components: [component('c1', 'operational')] }),
      snapshot(5, { components: [component('c1', 'major_outage')] }),
      snapshot(9, { components: [component('c1', 'operational')] }),
    ]);
    const id = componentSubject('c1', 5);
    expect(polls[0]).toEqual([]);
    expect(polls[1]?.map((i) => [i.id, i.origin, i.resolvedAt])).toEqual([
      [id, 'component', undefined],
    ]);
    expect(polls[1]?.[0]?.updates).toHaveLength(1);
    const resolved = polls[2]?.find((i) => i.id === id);
    expect(resolved?.resolvedAt).toBe(at(9));
    expect(resolved?.updates.at(-1)?.status).toBe('resolved');
  });
});
