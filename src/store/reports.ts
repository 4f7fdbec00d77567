/**
 * User reports (`/outage report <service>`), as both stores keep them. Times are epoch ms given by
 * the caller (its clock), never the database's, so that a simulated week runs the same code.
 */

/** One `/outage report`. `text` is already trimmed and cut (commands/report.ts). */
export interface UserReport {
  serviceId: string;
  /**
   * `${platform}:${workspaceId}:${userId}`: user ids are only unique inside a workspace, and two
   * workspaces' U123 are two people.
   */
  reporterId: string;
  /** channelKey of the channel it was sent from. */
  channel: string;
  at: number;
  text: string;
}

export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface ReportLimits {
  /** A reporter is counted once per service within this long (REPORT_WINDOW_MS). */
  dedupMs: number;
  /** Reports one person may send, all services together. */
  perUser: RateLimit;
  /** Reports one channel may send, all people together. */
  perChannel: RateLimit;
}

/**
 * `counted`: a new reporter for this window. `duplicate`: the same person again within dedupMs,
 * kept as the latest sign of them but counted once. The two `limited` ones record nothing.
 */
export type ReportOutcome = 'counted' | 'duplicate' | 'user_limited' | 'channel_limited';

/** A stored report, as `recent` returns it (newest first). */
export interface StoredReport {
  reporterId: string;
  channel: string;
  at: number;
  text: string;
}

/** What a service's reports usually look like at one hour of the week. */
export interface ReportLevel {
  /** Counted reports per hour usually seen at this hour of the week; undefined: no history yet. */
  perHour?: number;
}

export interface ReportStore {
  /** Records one report under the rate limits and the per-reporter dedup, atomically. */
  record(report: UserReport, limits: ReportLimits): Promise<ReportOutcome>;
  /** Distinct people whose latest report of the service falls in [sinceMs, untilMs], but `except`. */
  countReporters(
    serviceId: string,
    sinceMs: number,
    untilMs: number,
    except?: string,
  ): Promise<number>;
  /**
   * The hour-of-week baseline at `atMs`. Every full hour before `atMs` not yet learned is folded
   * into it first (hours with no report count as zero), so reading it is what moves it forward.
   */
  level(serviceId: string, atMs: number): Promise<ReportLevel>;
  /** Services with a report at or after `sinceMs`: the ones whose reports feed is worth polling. */
  reportedSince(sinceMs: number): Promise<string[]>;
  /** The latest reports of a service, newest first, at most REPORT_TEXTS_KEPT. */
  recent(serviceId: string, limit: number): Promise<StoredReport[]>;
}

export const HOUR_MS = 60 * 60_000;
const WEEK_HOURS = 168;

/** Reporters are remembered this long after their latest report (longer than any window read). */
export const REPORTERS_KEPT_MS = 6 * HOUR_MS;
/** Texts kept per service, newest first. */
export const REPORT_TEXTS_KEPT = 50;
/** A baseline not touched for this long is dropped: eight weeks without a single report. */
export const BASELINE_KEPT_MS = 8 * WEEK_HOURS * HOUR_MS;
/**
 * Weight of the newest week in an hour-of-week slot: about the last four weeks matter, so a
 * service that grew (or a one-off storm) is forgotten within a month.
 */
export const BASELINE_DECAY = 0.25;

/**
 * The learned level: per hour of the week, an exponentially weighted sum of counted reports and of
 * weights (so that the first week already gives its own mean rather than a quarter of it).
 * `nextHour` is the first epoch hour not folded in yet. 337 numbers per service, whatever happens.
 */
export interface ReportBaseline {
  nextHour: number;
  sums: number[];
  weights: number[];
}

export const hourOf = (atMs: number): number => Math.floor(atMs / HOUR_MS);

const slotOf = (hour: number): number => ((hour % WEEK_HOURS) + WEEK_HOURS) % WEEK_HOURS;

/**
 * Folds the hourly counts of every hour in [baseline.nextHour, untilHour) into the baseline (an
 * hour missing from `counts` had no report). More than eight weeks behind, only the last eight are
 * folded: older weeks would weigh under 1 % anyway. Pure; returns the hours it consumed.
 */
export function foldHours(
  previous: ReportBaseline | undefined,
  counts: ReadonlyMap<number, number>,
  untilHour: number,
): { baseline: ReportBaseline; folded: number[] } {
  const firstCounted = Math.min(...counts.keys(), untilHour);
  const baseline: ReportBaseline = previous
    ? { nextHour: previous.nextHour, sums: [...previous.sums], weights: [...previous.weights] }
    : {
        nextHour: firstCounted,
        sums: new Array(WEEK_HOURS).fill(0),
        weights: new Array(WEEK_HOURS).fill(0),
      };
  const from = Math.max(baseline.nextHour, untilHour - 8 * WEEK_HOURS);
  for (let hour = from; hour < untilHour; hour++) {
    const slot = slotOf(hour);
    const keep = 1 - BASELINE_DECAY;
    baseline.sums[slot] = (baseline.sums[slot] ?? 0) * keep + (counts.get(hour) ?? 0);
    baseline.weights[slot] = (baseline.weights[slot] ?? 0) * keep + 1;
  }
  baseline.nextHour = Math.max(baseline.nextHour, untilHour);
  const folded = [...counts.keys()].filter((hour) => hour < untilHour);
  return { baseline, folded };
}

/** The level at the hour of `atMs`: the slot's weighted mean, once it has any history. */
export function levelAt(baseline: ReportBaseline | undefined, atMs: number): ReportLevel {
  if (!baseline) return {};
  const slot = slotOf(hourOf(atMs));
  const weight = baseline.weights[slot] ?? 0;
  return weight > 0 ? { perHour: (baseline.sums[slot] ?? 0) / weight } : {};
}
