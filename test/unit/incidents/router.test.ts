import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { reconcile } from '../../../src/incidents/reconcile.js';
import {
  matchesFilters,
  openSubjects,
  route,
  startEventsForNewSubscription,
} from '../../../src/incidents/router.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import type { Subscription } from '../../../src/incidents/subscription.js';
import {
  at,
  component,
  componentSubject,
  eventsByPoll,
  incident,
  maintenance,
  OPTIONS,
  resolvedIncident,
  snapshot,
  stateAfter,
  subscription,
  update,
} from './factories.js';

const NOW = new Date(at(10));

/** Events of one poll after the given history. */
const eventsOf = (history: Parameters<typeof stateAfter>[0], observed: (typeof history)[number]) =>
  reconcile(stateAfter(history), observed, OPTIONS).events;

const started = (over: Parameters<typeof incident>[1] = {}): IncidentEvent => {
  const [event] = eventsOf([snapshot(0)], snapshot(1, { incidents: [incident('i1', over)] }));
  if (!event) throw new Error('expected a started event');
  return event;
};

const ids = (deliveries: { id: string }[]) => deliveries.map((d) => d.id);

describe('route', () => {
  it('makes one delivery per matching, active subscription of the service', () => {
    const event = started();
    const discord: Subscription = {
      ...subscription('C2'),
      channel: { platform: 'discord', workspaceId: 'G1', channelId: 'C2' },
    };
    const deliveries = route(
      [event],
      [
        subscription('C1'),
        discord,
        { ...subscription('C3'), serviceId: 'other' },
        { ...subscription('C4'), suspended: { at: at(5), reason: 'channel_not_found' } },
      ],
      { now: NOW },
    );
    expect(deliveries).toEqual([
      {
        id: 'acme:i1:started:open|slack:T1:C1',
        event,
        channel: { platform: 'slack', workspaceId: 'T1', channelId: 'C1' },
        mention: 'none',
        thread: 'acme:i1|slack:T1:C1',
        enqueuedAt: NOW.toISOString(),
        attempts: 0,
        nextAttemptAt: NOW.toISOString(),
      },
      expect.objectContaining({
        id: 'acme:i1:started:open|discord:G1:C2',
        thread: 'acme:i1|discord:G1:C2',
      }),
    ]);
  });

  it('keeps a thread whole for a minimum impact: from the escalation on, resolution included', () => {
    const polls = eventsByPoll([
      snapshot(0),
      snapshot(1, { incidents: [incident('i1')] }),
      snapshot(2, { incidents: [incident('i1', { impact: 'major' })] }),
      snapshot(3, { incidents: [resolvedIncident('i1', 0, 3, { impact: 'minor' })] }),
    ]);
    const sub = subscription('C1', { minImpact: 'major' });
    expect(polls.flatMap((events) => ids(route(events, [sub], { now: NOW })))).toEqual([
      'acme:i1:updated:impact:major|slack:T1:C1',
      'acme:i1:resolved:i1-r|slack:T1:C1',
    ]);
  });

  it('passes maintenance whatever the minimum impact', () => {
    const events = eventsOf(
      [snapshot(0)],
      snapshot(1, {
        maintenances: [maintenance('m1', 'scheduled', [update('m1-1', 'scheduled', 1)])],
      }),
    );
    const deliveries = route(events, [subscription('C1', { minImpact: 'critical' })], { now: NOW });
    expect(ids(deliveries)).toEqual(['acme:m1:maintenance_scheduled:scheduled|slack:T1:C1']);
  });

  it.each([
    { name: 'no filter, no components', components: [], filter: [], passes: true },
    {
      name: 'case-insensitive match',
      components: ['Git Operations'],
      filter: ['git operations'],
      passes: true,
    },
    {
      name: 'any of several',
      components: ['API', 'Pages'],
      filter: ['actions', 'pages'],
      passes: true,
    },
    { name: 'no overlap', components: ['API'], filter: ['Pages'], passes: false },
    { name: 'incident names no component', components: [], filter: ['Pages'], passes: false },
  ])('components filter: $name', ({ components, filter, passes }) => {
    const { subject } = started({ components });
    expect(matchesFilters(subject, { minImpact: 'none', components: filter })).toBe(passes);
  });

  it('mentions only on a live start at or above the threshold', () => {
    const sub = subscription('C1', { mention: 'here', mentionMinImpact: 'major' });
    const major = started({ impact: 'major' });
    const minor = started({ impact: 'minor' });
    const combined = eventsOf(
      [snapshot(0)],
      snapshot(5, { incidents: [resolvedIncident('i2', 1, 3, { impact: 'critical' })] }),
    );
    const updated = eventsOf(
      [snapshot(0, { incidents: [incident('i1', { impact: 'critical' })] })],
      snapshot(1, {
        incidents: [
          incident('i1', {
            impact: 'critical',
            updates: [update('i1-1', 'investigating', 0), update('i1-2', 'identified', 1)],
          }),
        ],
      }),
    );
    const mentions = route([major, minor, ...combined, ...updated], [sub], { now: NOW }).map(
      (d) => `${d.event.type}:${d.event.subject.impact}:${JSON.stringify(d.mention)}`,
    );
    expect(mentions).toEqual([
      'started:major:"here"',
      'started:minor:"none"',
      'started:critical:"none"',
      'updated:critical:"none"',
    ]);
  });

  describe('a muted channel', () => {
    const event = started();
    const [update1] = eventsOf(
      [snapshot(0, { incidents: [incident('i1')] })],
      snapshot(1, {
        incidents: [
          incident('i1', {
            updates: [update('i1-1', 'investigating', 0), update('i1-2', 'identified', 1)],
          }),
        ],
      }),
    );
    const sub = subscription('C1');
    const mutedUntil = () => new Date(at(60));

    it('opens no new thread', () => {
      expect(route([event], [sub], { now: NOW, mutedUntil })).toEqual([]);
    });

    it('still gets events of threads it already has', () => {
      const threadPosted = (thread: string) => thread === 'acme:i1|slack:T1:C1';
      const deliveries = route([update1 as IncidentEvent], [sub], {
        now: NOW,
        mutedUntil,
        threadPosted,
      });
      expect(ids(deliveries)).toEqual(['acme:i1:updated:i1-2|slack:T1:C1']);
    });

    it('gets everything again once the mute has passed', () => {
      const deliveries = route([event], [sub], { now: NOW, mutedUntil: () => new Date(at(9)) });
      expect(ids(deliveries)).toEqual(['acme:i1:started:open|slack:T1:C1']);
    });
  });
});

describe('a new subscription', () => {
  const history = [
    snapshot(0, {
      incidents: [resolvedIncident('old', -60, -30)],
      components: [component('c1', 'operational')],
    }),
    snapshot(1, {
      incidents: [
        incident('i1', {
          components: ['API'],
          updates: [update('i1-1', 'investigating', 1)],
        }),
        resolvedIncident('old', -60, -30),
      ],
      maintenances: [maintenance('m1', 'scheduled', [update('m1-1', 'scheduled', 1)])],
      components: [component('c1', 'major_outage', 'Pages')],
    }),
  ];
  const state = stateAfter(history) as ServiceState;

  it('lists open subjects, oldest first, without closed ones', () => {
    expect(openSubjects(state).map((s) => s.id)).toEqual(['i1', componentSubject('c1', 1), 'm1']);
  });

  it('is shown what is open now, with the ids the live events had', () => {
    const sub = subscription('C9');
    const live = eventsOf(history.slice(0, 1), history[1] as (typeof history)[number]);
    const shown = startEventsForNewSubscription(state, 'Acme', sub, NOW);
    expect(ids(shown)).toEqual([
      'acme:i1:started:open|slack:T1:C9',
      `acme:${componentSubject('c1', 1)}:started:open|slack:T1:C9`,
      'acme:m1:maintenance_scheduled:scheduled|slack:T1:C9',
    ]);
    expect(ids(shown).sort()).toEqual(ids(route(live, [sub], { now: NOW })).sort());
    expect(shown[0]?.event.update?.id).toBe('i1-1');
    expect(shown[0]?.event.serviceName).toBe('Acme');
  });

  it('applies its filters', () => {
    const sub = subscription('C9', { components: ['pages'], minImpact: 'critical' });
    const shown = startEventsForNewSubscription(state, 'Acme', sub, NOW);
    expect(ids(shown)).toEqual([`acme:${componentSubject('c1', 1)}:started:open|slack:T1:C9`]);
  });
});
