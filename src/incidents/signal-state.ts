import type { Confidence, EarlySignal, EventSubject, IncidentOrigin } from './model.js';

/**
 * What the signal merge (merge-signals.ts) remembers per service: which feed's incidents were
 * merged into which service-level incident, and the page-lag record of the ones early signals
 * opened. Kept by the store next to the feeds' ServiceStates, written in the same commit as the
 * poll that changed it, with a version so that two feeds polled at once never both win.
 */
export interface SignalState {
  serviceId: string;
  /** Open merged incidents, and closed ones for the merge window (a returning signal reopens). */
  groups: SignalGroup[];
  /** Incidents early signals opened, once closed: when the provider's page spoke, if it did. */
  lag: PageLagRecord[];
}

/** Probes and user reports come before the provider's word; everything a page says is official. */
export type SignalKind = EarlySignal | 'official';

export const signalKindOf = (origin: IncidentOrigin): SignalKind =>
  origin === 'probe' || origin === 'reports' ? origin : 'official';

/** One feed's incident inside a merged incident. */
export interface SignalMember {
  feedKey: string;
  kind: SignalKind;
  /** As last observed. */
  subject: EventSubject;
  joinedAt: string;
  closedAt?: string;
}

/** One service-level incident: every event of its members goes to its thread. */
export interface SignalGroup {
  /** The opening member's thread key (its start is the thread's start message). */
  threadKey: string;
  /** Members in the order they joined; the first opened the thread. */
  members: SignalMember[];
  confidence: Confidence;
  /** The opener's start: when the first signal began. */
  firstSignalAt: string;
  /** When the bot first saw the provider's own incident join (polled time). */
  officialAt?: string;
  /** Every early member clear since then; the group resolves after the hold time. */
  quietSince?: string;
  closedAt?: string;
  resolvedAt?: string;
}

export interface PageLagRecord {
  threadKey: string;
  firstSignalAt: string;
  /** Absent: the provider's page never announced it. */
  officialAt?: string;
  closedAt: string;
}

export const emptySignals = (serviceId: string): SignalState => ({
  serviceId,
  groups: [],
  lag: [],
});

/** A signal state and the version the store holds it at (0: none stored yet). */
export interface VersionedSignals {
  state: SignalState;
  version: number;
}
