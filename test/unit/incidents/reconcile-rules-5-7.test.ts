import { expect } from 'vitest';
import {
  component,
  componentSubject as cs,
  incident,
  ms,
  resolvedIncident,
  snapshot,
  update,
} from './factories.js';
import { c1, i1, namingC1, runTable } from './reconcile-table.js';

runTable({
  'rule 5: gone from the summary is not resolved until confirmed': [
    {
      name: 'confirmed by the incidents list: resolved',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(1, { incidents: [resolvedIncident('i1', 0, 1)] }),
      events: ['resolved acme:i1:resolved:i1-r resolved'],
    },
    {
      name: 'missing while the history could not be read: open, counted only as absent',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(1, { resolutionsKnown: false }),
      events: [],
      check: (state) =>
        expect(state.subjects.i1).toMatchObject({ missingPolls: 0, absentPolls: 1 }),
    },
    {
      name: 'missing from summary and history once: open, counted',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(1),
      events: [],
      check: (state) => expect(state.subjects.i1?.missingPolls).toBe(1),
    },
    {
      name: 'missing from both for the third poll: resolved, inferred',
      history: [snapshot(0, { incidents: [i1] }), snapshot(1), snapshot(2)],
      observed: snapshot(3),
      events: [`resolved acme:i1:resolved:missing@${ms(3)} resolved inferred`],
      check: (state, [resolved]) => {
        expect(resolved?.update?.body).toBe('No longer listed on the status page.');
        expect(state.subjects.i1?.closedAt).toBe(snapshot(3).fetchedAt);
      },
    },
    {
      name: 'listed again after two missing polls: the count restarts',
      history: [snapshot(0, { incidents: [i1] }), snapshot(1), snapshot(2)],
      observed: snapshot(3, { incidents: [i1] }),
      events: [],
      check: (state) => expect(state.subjects.i1?.missingPolls).toBe(0),
    },
    {
      name: 'polls without history neither count nor reset the confirmed count',
      history: [
        snapshot(0, { incidents: [i1] }),
        snapshot(1),
        snapshot(2, { resolutionsKnown: false }),
        snapshot(3, { resolutionsKnown: false }),
      ],
      observed: snapshot(4),
      events: [],
      again: [`resolved acme:i1:resolved:missing@${ms(4)} resolved inferred`],
      check: (state) => expect(state.subjects.i1?.missingPolls).toBe(2),
    },
  ],
  'rule 6: a degraded component with no incident is an incident of its own': [
    {
      name: 'operational to degraded: started, minor',
      history: [snapshot(0, { components: [c1('operational')] })],
      observed: snapshot(1, { components: [c1('degraded_performance')] }),
      events: [`started acme:${cs('c1', 1)}:started:open investigating`],
      check: (_state, [started]) => {
        expect(started?.subject).toMatchObject({
          title: 'Comp c1: degraded performance',
          impact: 'minor',
          components: ['Comp c1'],
          origin: 'component',
          url: 'https://status.acme.test',
        });
      },
    },
    {
      name: 'degraded to major outage: updated, critical',
      history: [
        snapshot(0, { components: [c1('operational')] }),
        snapshot(1, { components: [c1('degraded_performance')] }),
      ],
      observed: snapshot(2, { components: [c1('major_outage')] }),
      events: [`updated acme:${cs('c1', 1)}:updated:major_outage@${ms(2)} investigating`],
      check: (_state, [updated]) => expect(updated?.subject.impact).toBe('critical'),
    },
    {
      name: 'back to operational: resolved',
      history: [
        snapshot(0, { components: [c1('operational')] }),
        snapshot(1, { components: [c1('partial_outage')] }),
      ],
      observed: snapshot(2, { components: [c1('operational')] }),
      events: [`resolved acme:${cs('c1', 1)}:resolved:operational@${ms(2)} resolved`],
    },
    {
      name: 'degraded at baseline, then recovered: resolved',
      history: [snapshot(0, { components: [c1('partial_outage')] })],
      observed: snapshot(1, { components: [c1('operational')] }),
      events: [`resolved acme:${cs('c1', 0)}:resolved:operational@${ms(1)} resolved`],
    },
    {
      name: 'degraded while an official incident names it: only the official start',
      history: [snapshot(0, { components: [c1('operational')] })],
      observed: snapshot(1, {
        incidents: [incident('i1', namingC1)],
        components: [c1('partial_outage')],
      }),
      events: ['started acme:i1:started:open investigating'],
    },
    {
      name: 'an official incident opens for a degraded component: it takes over',
      history: [
        snapshot(0, { components: [c1('operational')] }),
        snapshot(1, { components: [c1('degraded_performance')] }),
      ],
      observed: snapshot(2, {
        incidents: [incident('i1', namingC1)],
        components: [c1('degraded_performance')],
      }),
      events: [
        'started acme:i1:started:open investigating',
        `resolved acme:${cs('c1', 1)}:resolved:superseded:i1@${ms(2)} resolved`,
      ],
    },
    {
      name: 'under maintenance: not news',
      history: [snapshot(0, { components: [c1('operational')] })],
      observed: snapshot(1, { components: [c1('under_maintenance')] }),
      events: [],
    },
    {
      name: 'the official incident resolved, the component lagging: nothing',
      history: [
        snapshot(0, { components: [c1('operational')] }),
        snapshot(1, { incidents: [incident('i1', namingC1)], components: [c1('partial_outage')] }),
      ],
      observed: snapshot(3, {
        incidents: [resolvedIncident('i1', 0, 2, namingC1)],
        components: [c1('partial_outage')],
      }),
      events: ['resolved acme:i1:resolved:i1-r resolved'],
    },
    {
      name: 'still degraded past the flap window after the official incident: started',
      history: [
        snapshot(0, { components: [c1('operational')] }),
        snapshot(1, { incidents: [incident('i1', namingC1)], components: [c1('partial_outage')] }),
        snapshot(3, {
          incidents: [resolvedIncident('i1', 0, 2, namingC1)],
          components: [c1('partial_outage')],
        }),
      ],
      observed: snapshot(20, {
        incidents: [resolvedIncident('i1', 0, 2, namingC1)],
        components: [c1('partial_outage')],
      }),
      events: [`started acme:${cs('c1', 20)}:started:open investigating`],
    },
    {
      name: 'the component left the page three polls ago: resolved, inferred',
      history: [
        snapshot(0, { components: [c1('operational'), component('c2', 'operational')] }),
        snapshot(1, { components: [c1('major_outage'), component('c2', 'operational')] }),
        snapshot(2, { components: [component('c2', 'operational')] }),
        snapshot(3, { components: [component('c2', 'operational')] }),
      ],
      observed: snapshot(4, { components: [component('c2', 'operational')] }),
      events: [`resolved acme:${cs('c1', 1)}:resolved:missing@${ms(4)} resolved inferred`],
    },
  ],
  'rule 7: flapping edits one thread': [
    {
      name: 'a component degraded again inside the window: same subject, reopened',
      history: [
        snapshot(0, { components: [c1('operational')] }),
        snapshot(1, { components: [c1('degraded_performance')] }),
        snapshot(5, { components: [c1('operational')] }),
      ],
      observed: snapshot(10, { components: [c1('partial_outage')] }),
      events: [`reopened acme:${cs('c1', 1)}:reopened:reopened@${ms(10)} investigating`],
      check: (state, [reopened]) => {
        expect(reopened?.subject.resolvedAt).toBeUndefined();
        expect(reopened?.subject.impact).toBe('major');
        expect(state.subjects[cs('c1', 1)]?.closedAt).toBeUndefined();
      },
    },
    {
      name: 'flapping twice stays in the first thread',
      history: [
        snapshot(0, { components: [c1('operational')] }),
        snapshot(1, { components: [c1('degraded_performance')] }),
        snapshot(5, { components: [c1('operational')] }),
        snapshot(10, { components: [c1('degraded_performance')] }),
        snapshot(12, { components: [c1('operational')] }),
      ],
      observed: snapshot(14, { components: [c1('degraded_performance')] }),
      events: [`reopened acme:${cs('c1', 1)}:reopened:reopened@${ms(14)} investigating`],
    },
    {
      name: 'degraded again after the window: a new thread',
      history: [
        snapshot(0, { components: [c1('operational')] }),
        snapshot(1, { components: [c1('degraded_performance')] }),
        snapshot(5, { components: [c1('operational')] }),
      ],
      observed: snapshot(25, { components: [c1('degraded_performance')] }),
      events: [`started acme:${cs('c1', 25)}:started:open investigating`],
    },
    {
      name: 'an official incident open again after its resolution: same thread',
      history: [
        snapshot(0, { incidents: [i1] }),
        snapshot(5, { incidents: [resolvedIncident('i1', 0, 4)] }),
      ],
      observed: snapshot(8, {
        incidents: [
          incident('i1', {
            updates: [
              update('i1-1', 'investigating', 0),
              update('i1-r', 'resolved', 4),
              update('i1-3', 'investigating', 7),
            ],
          }),
        ],
      }),
      events: ['reopened acme:i1:reopened:i1-3 investigating'],
    },
  ],
});
