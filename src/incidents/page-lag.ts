import { epochMs } from './event-ids.js';
import type { SignalState } from './signal-state.js';

/** How far a provider's status page can be trusted, measured from the outages early signals saw. */
export interface PageLag {
  /** Outages early signals opened within the period, closed since. */
  outages: number;
  /** Median time from the first signal to the bot first seeing the provider's incident. */
  medianMs?: number;
  /** Outages the page never announced. */
  neverAnnounced: number;
}

export const PAGE_LAG_PERIOD_MS = 90 * 86_400_000;

/** Over the outages that closed in the `periodMs` before `now`. Pure. */
export function pageLag(state: SignalState, now: Date, periodMs = PAGE_LAG_PERIOD_MS): PageLag {
  const since = now.getTime() - periodMs;
  const records = state.lag.filter((r) => epochMs(r.closedAt) >= since);
  const lags = records
    .filter((r) => r.officialAt !== undefined)
    .map((r) => Math.max(0, epochMs(r.officialAt as string) - epochMs(r.firstSignalAt)))
    .sort((a, b) => a - b);
  const lag: PageLag = { outages: records.length, neverAnnounced: records.length - lags.length };
  if (lags.length > 0) {
    const mid = Math.floor(lags.length / 2);
    lag.medianMs =
      lags.length % 2 === 1
        ? (lags[mid] as number)
        : ((lags[mid - 1] as number) + (lags[mid] as number)) / 2;
  }
  return lag;
}
