import { expect } from 'vitest';
import { incident, maintenance, ms, resolvedIncident, snapshot, update } from './factories.js';
import { i1, m1Running, m1Scheduled, runTable } from './reconcile-table.js';

runTable({
  'updates: what an open incident says next': [
    {
      name: 'a new incident after the baseline: started with its latest update',
      history: [snapshot(0)],
      observed: snapshot(5, {
        incidents: [
          incident('i1', {
            updates: [update('i1-1', 'investigating', 1), update('i1-2', 'investigating', 4)],
          }),
        ],
      }),
      events: ['started acme:i1:started:open investigating'],
      check: (state, [started]) => {
        expect(started?.update?.id).toBe('i1-2');
        expect(started?.at).toBe(snapshot(4).fetchedAt);
        expect(state.subjects.i1?.seenUpdateIds).toEqual(['i1-1', 'i1-2']);
      },
    },
    {
      name: 'impact raised without an update: updated',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(1, { incidents: [incident('i1', { impact: 'major' })] }),
      events: ['updated acme:i1:updated:impact:major investigating'],
    },
    {
      name: 'impact lowered: no event, the thread keeps its peak',
      history: [
        snapshot(0, { incidents: [i1] }),
        snapshot(1, { incidents: [incident('i1', { impact: 'major' })] }),
      ],
      observed: snapshot(2, { incidents: [i1] }),
      events: [],
      check: (state) => expect(state.subjects.i1?.subject.impact).toBe('major'),
    },
    {
      name: 'status changed without an update: updated',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(1, { incidents: [incident('i1', { status: 'monitoring' })] }),
      events: [`updated acme:i1:updated:monitoring@${ms(1)} monitoring`],
    },
    {
      name: 'a closed incident is forgotten after the retention',
      history: [
        snapshot(0, { incidents: [i1] }),
        snapshot(1, { incidents: [resolvedIncident('i1', 0, 1)] }),
      ],
      observed: snapshot(1 + 24 * 60 + 1, { incidents: [resolvedIncident('i1', 0, 1)] }),
      events: [],
      check: (state) => expect(state.subjects.i1).toBeUndefined(),
    },
  ],
  'maintenance: scheduled, started, completed': [
    {
      name: 'announced after the baseline: maintenance_scheduled',
      history: [snapshot(0)],
      observed: snapshot(1, { maintenances: [m1Scheduled] }),
      events: ['maintenance_scheduled acme:m1:maintenance_scheduled:scheduled scheduled'],
    },
    {
      name: 'scheduled to in progress: maintenance_started with its update',
      history: [snapshot(0, { maintenances: [m1Scheduled] })],
      observed: snapshot(60, { maintenances: [m1Running] }),
      events: ['maintenance_started acme:m1:maintenance_started:in_progress in_progress'],
      check: (_state, [started]) => expect(started?.update?.id).toBe('m1-2'),
    },
    {
      name: 'a new update while in progress: updated',
      history: [
        snapshot(0, { maintenances: [m1Scheduled] }),
        snapshot(60, { maintenances: [m1Running] }),
      ],
      observed: snapshot(70, {
        maintenances: [
          { ...m1Running, updates: [...m1Running.updates, update('m1-3', 'in_progress', 70)] },
        ],
      }),
      events: ['updated acme:m1:updated:m1-3 in_progress'],
    },
    {
      name: 'in progress to completed: maintenance_completed',
      history: [
        snapshot(0, { maintenances: [m1Scheduled] }),
        snapshot(60, { maintenances: [m1Running] }),
      ],
      observed: snapshot(120, {
        maintenances: [
          maintenance('m1', 'completed', [...m1Running.updates, update('m1-3', 'completed', 119)]),
        ],
      }),
      events: ['maintenance_completed acme:m1:maintenance_completed:completed completed'],
      check: (state, [completed]) => {
        expect(completed?.subject.resolvedAt).toBe(snapshot(119).fetchedAt);
        expect(state.subjects.m1?.closedAt).toBe(snapshot(120).fetchedAt);
      },
    },
    {
      name: 'scheduled straight to completed: maintenance_completed only',
      history: [snapshot(0, { maintenances: [m1Scheduled] })],
      observed: snapshot(120, {
        maintenances: [
          maintenance('m1', 'completed', [
            update('m1-1', 'scheduled', 0),
            update('m1-3', 'completed', 119),
          ]),
        ],
      }),
      events: ['maintenance_completed acme:m1:maintenance_completed:completed completed'],
    },
    {
      name: 'first seen in progress: maintenance_started only',
      history: [snapshot(0)],
      observed: snapshot(60, { maintenances: [m1Running] }),
      events: ['maintenance_started acme:m1:maintenance_started:in_progress in_progress'],
    },
    {
      name: 'first seen completed: not news, not tracked',
      history: [snapshot(0)],
      observed: snapshot(120, {
        maintenances: [maintenance('m1', 'completed', [update('m1-3', 'completed', 119)])],
      }),
      events: [],
      check: (state) => expect(state.subjects.m1).toBeUndefined(),
    },
    {
      name: 'no longer listed for three polls: maintenance_completed, inferred',
      history: [snapshot(0, { maintenances: [m1Running] }), snapshot(1), snapshot(2)],
      observed: snapshot(3),
      events: [
        `maintenance_completed acme:m1:maintenance_completed:missing@${ms(3)} completed inferred`,
      ],
    },
  ],
});
