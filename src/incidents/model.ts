import type { ChannelDigest } from '../digest/digest-model.js';

/**
 * The normalized model every source produces and every adapter renders.
 * Times are ISO-8601 strings in UTC (`new Date(x).toISOString()`), so they survive JSON round trips
 * through either store unchanged.
 */

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Ordered from least to most severe; `impactRank` relies on this order. */
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

export const impactRank = (impact: Impact): number => IMPACTS.indexOf(impact);

export const COMPONENT_STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'completed'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

/** Where an incident came from: the page's own incident, a degraded component, or a probe. */
export type IncidentOrigin = 'status_page' | 'component' | 'probe' | 'reports';

export interface IncidentUpdate {
  /** Stable id: the feed's own, or `${timestamp}:${hash(body)}` when the feed has none. */
  id: string;
  status: IncidentStatus | MaintenanceStatus;
  body: string;
  at: string;
}

export interface Incident {
  id: string;
  title: string;
  status: IncidentStatus;
  impact: Impact;
  /** Names of the affected components (group rows excluded). */
  components: string[];
  /** Oldest first. */
  updates: IncidentUpdate[];
  startedAt: string;
  resolvedAt?: string;
  url?: string;
  origin: IncidentOrigin;
}

export interface Maintenance {
  id: string;
  title: string;
  status: MaintenanceStatus;
  impact: Impact;
  components: string[];
  updates: IncidentUpdate[];
  scheduledFor: string;
  scheduledUntil?: string;
  url?: string;
}

export interface Component {
  id: string;
  name: string;
  status: ComponentStatus;
  /** Name of the group this component belongs to, if any. */
  group?: string;
}

/**
 * What one successful poll of a source observed.
 * `incidents` holds the open incidents plus any recently resolved ones the source could see
 * (Statuspage's incidents.json); `resolutionsKnown` says whether that history was read, so the
 * reconciler can tell "vanished from the summary" from "confirmed resolved" (rule 5).
 */
export interface Snapshot {
  serviceId: string;
  fetchedAt: string;
  incidents: Incident[];
  maintenances: Maintenance[];
  components: Component[];
  resolutionsKnown: boolean;
  /** Human link to the status page. */
  pageUrl?: string;
  /** Probe sources only: the check this poll ran (the reconciler counts them into incidents). */
  probe?: ProbeObservation;
  /** The reports feed only: how many people report the service now, and how many usually do. */
  reports?: ReportsObservation;
}

/** What the reports feed read from the store at `fetchedAt` (src/sources/reports.ts). */
export interface ReportsObservation {
  /** Distinct people whose latest report falls within `windowMs` before `fetchedAt`. */
  reporters: number;
  windowMs: number;
  /** Counted reports per hour usually seen at this hour of the week; absent: no history yet. */
  usualPerHour?: number;
}

/** `offline`: the bot's own network is down (probe control targets failed too): nobody's outage. */
export type SourceFailureKind =
  | 'timeout'
  | 'http_status'
  | 'bad_body'
  | 'too_large'
  | 'network'
  | 'offline';

/** Which step of a probe check failed. */
export type ProbeFailureStage = 'dns' | 'connect' | 'tls' | 'timeout' | 'http' | 'body' | 'config';

/** One check of a service's own address (DNS, then HTTPS). */
export type ProbeResult =
  | { ok: true; at: string; status: number }
  | { ok: false; at: string; stage: ProbeFailureStage; detail: string; status?: number };

/** What a probe source observed: the address checked and how the check went. */
export interface ProbeObservation {
  url: string;
  result: ProbeResult;
}

export interface SourceFailure {
  kind: SourceFailureKind;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

export type PollResult =
  | { ok: true; snapshot: Snapshot; notModified?: false }
  | { ok: true; notModified: true }
  | { ok: false; failure: SourceFailure };

export const FEED_CONVENTIONS = ['generic', 'statuspage', 'aws', 'azure'] as const;
/** Which producer's habits a `feed` source reads its RSS/Atom with (item granularity, labels). */
export type FeedConvention = (typeof FEED_CONVENTIONS)[number];

export interface SourceConfig {
  kind: string;
  url: string;
  /** `feed` only; default `generic`. */
  convention?: FeedConvention;
  /** `aws`, `gcp`: only events in these regions / locations (e.g. `us-east-1`); unset: all. */
  regions?: string[];
  /** `gcp`: only incidents touching these products (id or title, any case); unset: all. */
  products?: string[];
  /** Probes only: text the answer must contain to count as up. */
  expect?: string;
}

export interface Service {
  id: string;
  name: string;
  aliases: string[];
  sources: SourceConfig[];
  /** Operator-configured or catalog sources are trusted; chat-given URLs are not. */
  trusted: boolean;
  /** Families (`meta`, `cloud`, `dev`, ...): `/outage services <tag>` lists one. */
  tags?: string[];
  /** The human status page, when there is one. */
  pageUrl?: string;
}

export const EVENT_TYPES = [
  'started',
  'updated',
  /** A closed incident listed open again: its old thread is reopened, never a new one. */
  'reopened',
  /**
   * A new signal made the service's merged incident more certain (src/incidents/merge-signals.ts):
   * a reply with the signal, and the start message edited to the new confidence.
   */
  'confirmed',
  'resolved',
  'maintenance_scheduled',
  'maintenance_started',
  'maintenance_completed',
  /** A channel's weekly digest (src/digest/): no incident, no thread; `digest` holds it. */
  'digest',
] as const;
export type IncidentEventType = (typeof EVENT_TYPES)[number];

/** The thing a thread is about: either an incident or a maintenance, flattened for rendering. */
export interface EventSubject {
  kind: 'incident' | 'maintenance';
  id: string;
  title: string;
  status: IncidentStatus | MaintenanceStatus;
  impact: Impact;
  components: string[];
  startedAt: string;
  resolvedAt?: string;
  scheduledFor?: string;
  scheduledUntil?: string;
  url?: string;
  origin: IncidentOrigin;
  /**
   * Set on incidents that early signals (probes, user reports) opened: how sure the bot is, from
   * the signals merged into it (src/incidents/confidence.ts). Absent: a plain official incident.
   */
  confidence?: Confidence;
  /** With `confidence`: the kinds of early signal merged into it, in the order they came. */
  evidence?: EarlySignal[];
}

/** Signals that come before the provider's word. */
export type EarlySignal = 'probe' | 'reports';

/** Ordered from least to most certain; only grows over an incident's life. */
export const CONFIDENCES = ['suspected', 'confirmed', 'provider'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export interface IncidentEvent {
  /** Deterministic: the same observation always yields the same id, so enqueueing is idempotent. */
  id: string;
  type: IncidentEventType;
  serviceId: string;
  serviceName: string;
  /** `${serviceId}:${subject.id}`: one thread per key per channel. */
  threadKey: string;
  subject: EventSubject;
  /**
   * The update this event announces (for `updated`, the new text; for `reopened`, the update that
   * reopened it; for `resolved`, the last).
   */
  update?: IncidentUpdate;
  /** Started and resolved between two polls: one combined message, never a lone "resolved". */
  combined?: boolean;
  /** Resolved because it vanished from the feed for several polls rather than by confirmation. */
  inferred?: boolean;
  /** A `confirmed` event that lifted the incident out of `suspected`: the one that may ping. */
  confirmedNow?: boolean;
  /** `digest` events only: what the channel's week looked like. */
  digest?: ChannelDigest;
  at: string;
}
