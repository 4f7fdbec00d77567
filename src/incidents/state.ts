import type { ComponentStatus, EventSubject, Impact } from './model.js';

/** What the bot remembers about one tracked incident, maintenance or degraded component. */
export interface TrackedSubject {
  subject: EventSubject;
  /** Update ids already turned into events (never announced twice, rule 1). */
  seenUpdateIds: string[];
  /** Polls in a row the open subject was missing from a feed that could not confirm it resolved. */
  missingPolls: number;
  /** Set once resolved/completed; kept for the flapping window (rule 7), then forgotten. */
  closedAt?: string;
}

export interface SourceHealth {
  consecutiveFailures: number;
  lastOkAt?: string;
  lastFailureAt?: string;
  lastError?: string;
}

/** Everything reconcile needs from the previous poll of one service. */
export interface ServiceState {
  serviceId: string;
  /** False until the first successful poll recorded a baseline (rule 2). */
  baselined: boolean;
  subjects: Record<string, TrackedSubject>;
  components: Record<string, { name: string; status: ComponentStatus; since: string }>;
  health: SourceHealth;
}

export const emptyState = (serviceId: string): ServiceState => ({
  serviceId,
  baselined: false,
  subjects: {},
  components: {},
  health: { consecutiveFailures: 0 },
});

export type { Impact };
