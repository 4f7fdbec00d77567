import { confidenceLine } from '../../../src/incidents/confidence.js';
import { DEFAULT_SIGNAL_POLICY, mergeSignals } from '../../../src/incidents/merge-signals.js';
import type {
  IncidentEvent,
  IncidentEventType,
  IncidentOrigin,
} from '../../../src/incidents/model.js';
import type { SignalState } from '../../../src/incidents/signal-state.js';

/** One service's feeds (probe, reports, status page) and their events, for the merge tests. */
/** Minutes after 15:40 UTC on 2021-10-04. */
export const T0 = Date.parse('2021-10-04T15:40:00.000Z');
export const at = (minute: number): string => new Date(T0 + minute * 60_000).toISOString();

export const POLICY = { ...DEFAULT_SIGNAL_POLICY, windowMs: 30 * 60_000, holdMs: 10 * 60_000 };

export const FEEDS = {
  probe: 'facebook',
  reports: 'facebook#2:reports',
  page: 'facebook#1:metastatus',
};
export type Feed = keyof typeof FEEDS;
const ORIGIN: Record<Feed, IncidentOrigin> = {
  probe: 'probe',
  reports: 'reports',
  page: 'status_page',
};

/** An event as a feed's own reconcile gives it (one thread per feed subject). */
export function feedEvent(
  feed: Feed,
  type: IncidentEventType,
  subjectId: string,
  minute: number,
  body: string,
  over: { title?: string; status?: 'investigating' | 'identified' | 'resolved' } = {},
): IncidentEvent {
  const status = over.status ?? (type === 'resolved' ? 'resolved' : 'investigating');
  return {
    id: `facebook:${subjectId}:${type}:${minute}`,
    type,
    serviceId: 'facebook',
    serviceName: 'Facebook',
    threadKey: `facebook:${subjectId}`,
    subject: {
      kind: 'incident',
      id: subjectId,
      title: over.title ?? `${feed} ${subjectId}`,
      status,
      impact: feed === 'page' ? 'critical' : 'major',
      components: feed === 'probe' ? ['facebook.com'] : [],
      startedAt: at(0),
      ...(type === 'resolved' ? { resolvedAt: at(minute) } : {}),
      origin: ORIGIN[feed],
    },
    update: { id: `${subjectId}@${minute}`, status, body, at: at(minute) },
    at: at(minute),
  };
}

/** Feeds polled in turn: each step is one feed's poll with its events. */
export function run(steps: Array<[Feed, number, IncidentEvent[]]>, start?: SignalState) {
  let state = start;
  const out: IncidentEvent[][] = [];
  for (const [feed, minute, events] of steps) {
    const input = {
      serviceId: 'facebook',
      serviceName: 'Facebook',
      feedKey: FEEDS[feed],
      events,
      at: at(minute),
    };
    const result = mergeSignals(state, input, POLICY);
    state = result.state;
    out.push(result.events);
  }
  return { state: state as SignalState, out };
}

export const line = (e: IncidentEvent): string =>
  `${e.type} [${e.threadKey}] ${confidenceLine(e.subject) ?? '-'} | ${e.update?.body ?? ''}`;

export const PROBE_START = feedEvent(
  'probe',
  'started',
  'probe:facebook.com:1',
  2,
  'Probe: DNS SERVFAIL for facebook.com since 15:40 UTC (3 failed checks in a row).',
);
export const REPORTS_START = feedEvent(
  'reports',
  'started',
  'reports:1',
  6,
  '42 reports in 10 min',
);
export const OFFICIAL_START = feedEvent(
  'page',
  'started',
  'outage-77',
  50,
  'We are aware that some people are having trouble accessing our apps.',
  { title: 'Facebook apps unavailable' },
);
