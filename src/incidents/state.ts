import type { ComponentStatus, EventSubject, Impact, IncidentUpdate } from './model.js';

/** What the bot remembers about one tracked incident, maintenance or degraded component. */
export interface TrackedSubject {
  /** As last observed, except impact and components: the peak and the union over its life. */
  subject: EventSubject;
  /** Update ids already turned into events (never announced twice, rule 1). */
  seenUpdateIds: string[];
  /**
   * Polls in a row the open subject was absent from both the summary and the history (rule 5);
   * polls whose history could not be read neither count nor reset it.
   */
  missingPolls: number;
  /**
   * Official incidents only: polls in a row absent from the summary, history read or not. Resolves
   * the incident when the history stays unreadable (policy missingPollsWithoutHistory). Absent = 0.
   */
  absentPolls?: number;
  /** Set once resolved/completed; kept for the flapping window (rule 7), then forgotten. */
  closedAt?: string;
  /** The latest update, so a channel subscribing later is shown the current text. */
  lastUpdate?: IncidentUpdate;
  /** Component incidents only: the component whose status opened it (rule 6). */
  componentId?: string;
  /** Probe incidents only: the address whose checks opened it. */
  probeUrl?: string;
}

/** A probe source's run of checks, counted into incidents by the reconciler. */
export interface ProbeTrack {
  /** Failed checks in a row (0 after a good one). */
  failures: number;
  /** Good checks in a row (0 after a failed one). */
  successes: number;
  /** The first failed check of the current run. */
  failingSince?: string;
  /** What the last failed check said, so that only a change becomes an update. */
  lastDetail?: string;
}

/** The reports feed's memory between polls, for its open incident (reconcile-reports.ts). */
export interface ReportsTrack {
  /** The count the thread last showed (start or update): only a doubling is news again. */
  announced?: number;
  /** The first poll of the current run of normal counts while the incident is open. */
  normalSince?: string;
}

export interface SourceHealth {
  consecutiveFailures: number;
  lastOkAt?: string;
  lastFailureAt?: string;
  lastError?: string;
  /** True once consecutiveFailures reached the signal threshold (rule 4); reset by a good poll. */
  signal?: boolean;
}

/** Everything reconcile needs from the previous poll of one service. */
export interface ServiceState {
  serviceId: string;
  /**
   * Set for a service's second and later sources, each reconciled on its own (src/sources/feeds.ts):
   * the key its state is kept under. Unset for the first source, whose key is the service id.
   */
  feedKey?: string;
  /** False until the first successful poll recorded a baseline (rule 2). */
  baselined: boolean;
  /** fetchedAt of the poll that recorded the baseline. */
  baselineAt?: string;
  /** fetchedAt of the last snapshot reconciled: history resolved before it is not news (rule 3). */
  lastPollAt?: string;
  subjects: Record<string, TrackedSubject>;
  /**
   * Official incidents closed longer ago than the full record is kept: subject id -> closedAt.
   * Listed open again, such an incident reopens its old thread (src/lifetimes.ts). Absent = none.
   */
  closed?: Record<string, string>;
  components: Record<string, { name: string; status: ComponentStatus; since: string }>;
  health: SourceHealth;
  /** Probe sources only. */
  probe?: ProbeTrack;
  /** The reports feed only. */
  reports?: ReportsTrack;
}

export const emptyState = (serviceId: string): ServiceState => ({
  serviceId,
  baselined: false,
  subjects: {},
  components: {},
  health: { consecutiveFailures: 0 },
});

export type { Impact };

/** State older than this may no longer be true: poll before showing it as "right now". */
export const FRESH_STATE_MS = 15 * 60_000;

/** Whether the last poll of this service (successful or not) is recent enough to speak for now. */
export function isFreshState(state: ServiceState, at: Date): boolean {
  const times = [state.lastPollAt, state.health.lastOkAt, state.health.lastFailureAt];
  const last = Math.max(...times.map((t) => (t ? Date.parse(t) : 0)));
  return at.getTime() - last <= FRESH_STATE_MS;
}
