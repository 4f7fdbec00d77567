import { describe, expect, it } from 'vitest';
import { type Observation, reconcile } from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import {
  component,
  componentSubject as cs,
  describeEvent,
  failure,
  incident,
  ms,
  OPTIONS,
  resolvedIncident,
  SERVICE,
  snapshot,
  stateAfter,
  update,
} from './factories.js';
import { c1, i1, m1Scheduled, runTable } from './reconcile-table.js';

runTable({
  'rule 1: a restart re-posts nothing and delivers resolutions missed while down': [
    {
      name: 'open in state, resolved in the snapshot: resolved',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(5, { incidents: [resolvedIncident('i1', 0, 4)] }),
      events: ['resolved acme:i1:resolved:i1-r resolved'],
      check: (state, [resolved]) => {
        expect(resolved?.update?.id).toBe('i1-r');
        expect(state.subjects.i1?.closedAt).toBe(snapshot(5).fetchedAt);
      },
    },
    {
      name: 'down through several updates and the resolution: each once, oldest first',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(120, {
        incidents: [
          resolvedIncident('i1', 0, 90, {
            updates: [
              update('i1-1', 'investigating', 0),
              update('i1-2', 'identified', 30),
              update('i1-3', 'monitoring', 60),
              update('i1-r', 'resolved', 90),
            ],
          }),
        ],
      }),
      events: [
        'updated acme:i1:updated:i1-2 resolved',
        'updated acme:i1:updated:i1-3 resolved',
        'resolved acme:i1:resolved:i1-r resolved',
      ],
    },
    {
      name: 'the same incident with nothing new: no events',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(1, { incidents: [i1] }),
      events: [],
    },
  ],
  'rule 2: the first poll records a baseline and posts nothing': [
    {
      name: 'open, resolved, maintenance and a degraded component: all tracked, no events',
      history: [],
      observed: snapshot(0, {
        incidents: [i1, resolvedIncident('old', -60, -30)],
        maintenances: [m1Scheduled],
        components: [c1('partial_outage'), component('c2', 'operational')],
      }),
      events: [],
      check: (state) => {
        expect(state.baselined).toBe(true);
        expect(state.baselineAt).toBe(snapshot(0).fetchedAt);
        expect(state.subjects.i1).toMatchObject({ seenUpdateIds: ['i1-1'], missingPolls: 0 });
        expect(state.subjects.i1?.closedAt).toBeUndefined();
        expect(state.subjects.old?.closedAt).toBe(snapshot(-30).fetchedAt);
        expect(state.subjects.m1?.subject.status).toBe('scheduled');
        expect(state.subjects[cs('c1', 0)]?.subject).toMatchObject({ impact: 'major' });
        expect(state.components.c2?.status).toBe('operational');
      },
    },
    {
      name: 'a state left by failures only is not a baseline yet',
      history: [failure(-2)],
      observed: snapshot(0, { incidents: [i1] }),
      events: [],
      check: (state) => {
        expect(state.baselined).toBe(true);
        expect(state.health.consecutiveFailures).toBe(0);
      },
    },
    {
      name: 'an incident open at baseline gets its later updates, never a start',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(5, {
        incidents: [
          incident('i1', {
            status: 'identified',
            updates: [update('i1-1', 'investigating', 0), update('i1-2', 'identified', 4)],
          }),
        ],
      }),
      events: ['updated acme:i1:updated:i1-2 identified'],
    },
    {
      name: 'history older than the retention is not even remembered',
      history: [],
      observed: snapshot(0, { incidents: [resolvedIncident('old', -5000, -4400)] }),
      events: [],
      check: (state) => expect(state.subjects.old).toBeUndefined(),
    },
  ],
  'rule 3: first seen already resolved: one combined start': [
    {
      name: 'started and resolved between two polls',
      history: [snapshot(0)],
      observed: snapshot(5, { incidents: [resolvedIncident('i2', 1, 3)] }),
      events: ['started acme:i2:started:open resolved combined'],
      check: (state, [started]) => {
        expect(started?.update?.id).toBe('i2-r');
        expect(started?.subject.resolvedAt).toBe(snapshot(3).fetchedAt);
        expect(state.subjects.i2?.closedAt).toBe(snapshot(5).fetchedAt);
      },
    },
    {
      name: 'resolved a few minutes before the previous poll (cached feed): still combined',
      history: [snapshot(0), snapshot(60)],
      observed: snapshot(61, { incidents: [resolvedIncident('late', 50, 55)] }),
      events: ['started acme:late:started:open resolved combined'],
    },
    {
      name: 'unknown history resolved long before the previous poll: nothing',
      history: [snapshot(0), snapshot(60)],
      observed: snapshot(61, { incidents: [resolvedIncident('old', -100, -50)] }),
      events: [],
      check: (state) => expect(state.subjects.old).toBeUndefined(),
    },
    {
      name: 'resolved before the baseline, seen again: nothing',
      history: [snapshot(0, { incidents: [resolvedIncident('old', -60, -30)] })],
      observed: snapshot(1, { incidents: [resolvedIncident('old', -60, -30)] }),
      events: [],
    },
    {
      name: 'the combined incident on the next poll: nothing',
      history: [snapshot(0), snapshot(5, { incidents: [resolvedIncident('i2', 1, 3)] })],
      observed: snapshot(6, { incidents: [resolvedIncident('i2', 1, 3)] }),
      events: [],
    },
  ],
  'rule 4: a failing source changes nothing but its health': [
    {
      name: 'a timeout with an open incident',
      history: [snapshot(0, { incidents: [i1] })],
      observed: failure(1),
      events: [],
      check: (state, _events, previous) => {
        expect(state.subjects).toEqual(previous?.subjects);
        expect(state.lastPollAt).toBe(snapshot(0).fetchedAt);
        expect(state.health).toEqual({
          consecutiveFailures: 1,
          lastOkAt: snapshot(0).fetchedAt,
          lastFailureAt: snapshot(1).fetchedAt,
          lastError: 'timeout: timed out after 10000 ms',
        });
      },
    },
    {
      name: 'the third failure in a row becomes a signal',
      history: [snapshot(0, { incidents: [i1] }), failure(1), failure(2)],
      observed: failure(3),
      events: [],
      check: (state) => {
        expect(state.health).toMatchObject({ consecutiveFailures: 3, signal: true });
        expect(state.subjects.i1?.closedAt).toBeUndefined();
      },
    },
    {
      name: 'a failure before any baseline',
      history: [],
      observed: failure(0),
      events: [],
      check: (state) => {
        expect(state.baselined).toBe(false);
        expect(state.health.consecutiveFailures).toBe(1);
      },
    },
    {
      name: 'a good poll after failures clears the signal and keeps the last error',
      history: [snapshot(0, { incidents: [i1] }), failure(1), failure(2), failure(3)],
      observed: snapshot(4, { incidents: [i1] }),
      events: [],
      check: (state) => {
        expect(state.health.consecutiveFailures).toBe(0);
        expect(state.health.signal).toBeUndefined();
        expect(state.health.lastOkAt).toBe(snapshot(4).fetchedAt);
        expect(state.health.lastError).toBe('timeout: timed out after 10000 ms');
      },
    },
    {
      name: 'failures never count towards an inferred resolution',
      history: [snapshot(0, { incidents: [i1] }), failure(1), failure(2), failure(3), failure(4)],
      observed: snapshot(5),
      events: [],
      check: (state) => expect(state.subjects.i1?.missingPolls).toBe(1),
    },
    {
      name: 'a 304 resets health and changes nothing else',
      history: [snapshot(0, { incidents: [i1] }), failure(1)],
      observed: { ok: true, notModified: true, serviceId: SERVICE, at: snapshot(2).fetchedAt },
      events: [],
      check: (state, _events, previous) => {
        expect(state.health.consecutiveFailures).toBe(0);
        expect(state.subjects).toEqual(previous?.subjects);
        expect(state.lastPollAt).toBe(snapshot(0).fetchedAt);
      },
    },
  ],
});

describe('reconcile guards', () => {
  it('refuses the state of another service', () => {
    const other = stateAfter([snapshot(0)]);
    expect(() => reconcile(other, { ...snapshot(1), serviceId: 'other' }, OPTIONS)).toThrow(
      /state of acme given for other/,
    );
  });

  it('honours custom policy values', () => {
    const history = [snapshot(0, { incidents: [i1] })];
    const options = { ...OPTIONS, missingPollsToResolve: 1 };
    const { events } = reconcile(stateAfter(history, options), snapshot(1), options);
    expect(events.map(describeEvent)).toEqual([
      `resolved acme:i1:resolved:missing@${ms(1)} resolved inferred`,
    ]);
  });

  it('walks one incident through its life with each event once', () => {
    const polls: Observation[] = [
      snapshot(0),
      snapshot(1, { incidents: [i1] }),
      failure(2),
      snapshot(3, {
        incidents: [
          incident('i1', {
            status: 'identified',
            updates: [update('i1-1', 'investigating', 0), update('i1-2', 'identified', 3)],
          }),
        ],
      }),
      snapshot(4, { incidents: [], resolutionsKnown: false }),
      snapshot(5, {
        incidents: [
          resolvedIncident('i1', 0, 5, {
            updates: [
              update('i1-1', 'investigating', 0),
              update('i1-2', 'identified', 3),
              update('i1-r', 'resolved', 5),
            ],
          }),
        ],
      }),
    ];
    let state: ServiceState | undefined;
    const all: string[] = [];
    for (const poll of polls) {
      const result = reconcile(state, poll, OPTIONS);
      state = result.state;
      all.push(...result.events.map((e) => e.id));
    }
    expect(all).toEqual(['acme:i1:started:open', 'acme:i1:updated:i1-2', 'acme:i1:resolved:i1-r']);
  });
});
