import { epochMs, openingEvent } from './event-ids.js';
import type { EventSubject, ProbeObservation } from './model.js';
import {
  closedAgoMs,
  emit,
  type PollContext,
  pollKey,
  reopenFlapping,
  syntheticUpdate,
} from './reconcile-context.js';
import type { ProbeTrack, TrackedSubject } from './state.js';

/**
 * Probe checks become incidents here, not in the source, so that the counts survive restarts and
 * replicas: `probeFailuresToOpen` failed checks in a row open an incident (id
 * `probe:<host>:<epoch ms of the first failed check>`), `probeRecoveriesToClose` good checks in a
 * row resolve it. Failing again within the flap window reopens the same thread (rule 7).
 */
export const reconcileProbe = (ctx: PollContext, observation: ProbeObservation): void => {
  const { result } = observation;
  const host = hostOf(observation.url);
  const previous = ctx.probe ?? { failures: 0, successes: 0 };
  const open = findProbeSubject(ctx, observation.url, 'open');
  if (result.ok) {
    const track: ProbeTrack = { failures: 0, successes: previous.successes + 1 };
    // Kept while the incident is open: a failure like the last one after one good check is no news.
    if (open && previous.lastDetail !== undefined) track.lastDetail = previous.lastDetail;
    ctx.probe = track;
    if (open && track.successes >= ctx.policy.probeRecoveriesToClose) {
      const body = `Probe: ${host} answers again (HTTP ${result.status}), ${track.successes} good checks in a row.`;
      const update = syntheticUpdate(ctx, pollKey(ctx, 'recovered'), 'resolved', body);
      open.subject = { ...open.subject, status: 'resolved', resolvedAt: update.at };
      open.closedAt = update.at;
      open.lastUpdate = update;
      emit(ctx, 'resolved', open.subject, update.id, { update });
      delete track.lastDetail;
    }
    return;
  }
  const failingSince = previous.failingSince ?? result.at;
  const track: ProbeTrack = {
    failures: previous.failures + 1,
    successes: 0,
    failingSince,
    lastDetail: result.detail,
  };
  ctx.probe = track;
  const since = `since ${clock(failingSince)} UTC`;
  if (open) {
    if (previous.lastDetail === result.detail) return;
    const body = `Probe: now ${result.detail} for ${host} (failing ${since}).`;
    const update = syntheticUpdate(ctx, pollKey(ctx, 'changed'), 'investigating', body);
    open.subject = { ...open.subject, title: titleFor(host, result.detail) };
    open.lastUpdate = update;
    emit(ctx, 'updated', open.subject, update.id, { update });
    return;
  }
  if (track.failures < ctx.policy.probeFailuresToOpen) return;
  const body = `Probe: ${result.detail} for ${host} ${since} (${track.failures} failed checks in a row).`;
  const flapping = findProbeSubject(ctx, observation.url, 'flapping');
  if (flapping) {
    reopenFlapping(ctx, flapping, body, titleFor(host, result.detail));
    return;
  }
  const subject: EventSubject = {
    kind: 'incident',
    id: `probe:${host}:${epochMs(failingSince)}`,
    title: titleFor(host, result.detail),
    status: 'investigating',
    impact: 'major',
    components: [host],
    startedAt: failingSince,
    url: observation.url,
    origin: 'probe',
  };
  const update = syntheticUpdate(ctx, pollKey(ctx, 'failing'), 'investigating', body);
  ctx.subjects[subject.id] = {
    subject,
    seenUpdateIds: [],
    missingPolls: 0,
    lastUpdate: update,
    probeUrl: observation.url,
  };
  if (!ctx.firstPoll) emit(ctx, 'started', subject, openingEvent(subject).key, { update });
};

const findProbeSubject = (
  ctx: PollContext,
  url: string,
  which: 'open' | 'flapping',
): TrackedSubject | undefined => {
  let best: TrackedSubject | undefined;
  for (const tracked of Object.values(ctx.subjects)) {
    if (tracked.probeUrl !== url) continue;
    const ago = closedAgoMs(ctx, tracked);
    if (which === 'open' && ago === undefined) return tracked;
    if (which === 'flapping' && ago !== undefined && ago <= ctx.policy.flapWindowMs) {
      if (!best || ago < (closedAgoMs(ctx, best) ?? Number.POSITIVE_INFINITY)) best = tracked;
    }
  }
  return best;
};

const titleFor = (host: string, detail: string): string => `${host}: ${detail}`;

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
};

/** `15:42` of an ISO time, in UTC. */
const clock = (iso: string): string => new Date(iso).toISOString().slice(11, 16);
