import { describe, expect, it } from 'vitest';
import { mergeSignals } from '../../../src/incidents/merge-signals.js';
import type { IncidentEvent, IncidentOrigin } from '../../../src/incidents/model.js';
import { route } from '../../../src/incidents/router.js';
import type { Subscription } from '../../../src/incidents/subscription.js';
import { subscription } from '../../helpers/subscriptions.js';

/** Noise controls: `/outage subscribe <service> official`, and pings for confirmed incidents only. */

const T0 = Date.parse('2021-10-04T15:40:00.000Z');
const at = (minute: number): string => new Date(T0 + minute * 60_000).toISOString();

function feedEvent(
  origin: IncidentOrigin,
  type: 'started' | 'resolved',
  subjectId: string,
  minute: number,
): IncidentEvent {
  const status = type === 'resolved' ? 'resolved' : 'investigating';
  return {
    id: `facebook:${subjectId}:${type}:open`,
    type,
    serviceId: 'facebook',
    serviceName: 'Facebook',
    threadKey: `facebook:${subjectId}`,
    subject: {
      kind: 'incident',
      id: subjectId,
      title: `${origin} says Facebook is down`,
      status,
      impact: 'major',
      components: [],
      startedAt: at(0),
      origin,
    },
    update: { id: `${subjectId}@${minute}`, status, body: `${origin} text`, at: at(minute) },
    at: at(minute),
  };
}

/** The events the merge gives for: a probe, reports, the provider, the provider resolving. */
function mergedOutage(): IncidentEvent[] {
  const polls: Array<[string, IncidentEvent]> = [
    ['facebook', feedEvent('probe', 'started', 'probe:1', 2)],
    ['facebook#2:reports', feedEvent('reports', 'started', 'reports:1', 5)],
    ['facebook#1:metastatus', feedEvent('status_page', 'started', 'outage-1', 40)],
    ['facebook#1:metastatus', feedEvent('status_page', 'resolved', 'outage-1', 300)],
  ];
  let state: Parameters<typeof mergeSignals>[0];
  const events: IncidentEvent[] = [];
  for (const [feedKey, event] of polls) {
    const input = {
      serviceId: 'facebook',
      serviceName: 'Facebook',
      feedKey,
      events: [event],
      at: event.at,
    };
    const result = mergeSignals(state, input);
    state = result.state;
    events.push(...result.events);
  }
  return events;
}

const everything: Subscription = { ...subscription({ serviceId: 'facebook' }), mention: 'here' };
const official: Subscription = {
  ...everything,
  channel: { platform: 'slack', workspaceId: 'T1', channelId: 'C2' },
  filters: { minImpact: 'none', components: [], signals: 'official' },
};

const seen = (sub: Subscription, events: IncidentEvent[]) =>
  route(events, [sub], { now: new Date(at(400)) }).map((d) => {
    const mention = typeof d.mention === 'string' ? d.mention : 'someone';
    return `${d.event.type} ${d.event.subject.confidence ?? '-'} ping:${mention}`;
  });

describe('official subscriptions and confirmed pings', () => {
  it('a subscription to every signal gets the whole thread, pinged once, when it is confirmed', () => {
    expect(seen(everything, mergedOutage())).toEqual([
      'started suspected ping:none',
      'confirmed confirmed ping:here',
      'confirmed provider ping:none',
      'resolved provider ping:none',
    ]);
  });

  it('an official subscription hears of it when the provider speaks, pinged then', () => {
    expect(seen(official, mergedOutage())).toEqual([
      'confirmed provider ping:here',
      'resolved provider ping:none',
    ]);
  });

  it('gets a plain provider incident as before, and nothing of a probe on its own', () => {
    const page = feedEvent('status_page', 'started', 'i1', 1);
    const probe = feedEvent('probe', 'started', 'probe:2', 1);
    expect(seen(official, [page, probe])).toEqual(['started - ping:here']);
    expect(seen(everything, [page, probe])).toEqual(['started - ping:here', 'started - ping:none']);
  });
});
