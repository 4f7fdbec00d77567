import type { Platform } from '../incidents/subscription.js';
import { type BackoffPolicy, backoffDelay } from '../scheduler/backoff.js';

/**
 * How long a platform whose sends fail as unreachable (5xx, timeouts, refused connections) is
 * left alone: from about a second, doubling, at most 30 s, so its messages go out within about
 * 30 s of its recovery.
 */
export const PLATFORM_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000 };
export type Admission = { send: true } | { send: false; untilMs: number; reason: string };

/** What a send said about its platform: it answered, it did not (or 5xx), or no request was made. */
export type Reachability = 'reachable' | 'unreachable' | 'untested';

interface Health {
  /** Sends in a row that found the platform unreachable; 0 when its last answer came through. */
  failures: number;
  pausedUntil: number;
  /** A failing platform gets one send at a time (the probe) until one comes through. */
  probing: boolean;
}

/**
 * Per-platform admission for the delivery worker. Each platform has its own claim loop and slots
 * (worker.ts), so a platform that is down cannot hold another's; this only keeps it from being
 * hammered: one found unreachable is paused with capped backoff, then probed with a single send,
 * and its other deliveries wait in the outbox.
 */
export class PlatformGates {
  private readonly health = new Map<Platform, Health>();

  constructor(private readonly options: { random?: () => number } = {}) {}

  admit(platform: Platform, nowMs: number): Admission {
    const h = this.of(platform);
    if (h.failures > 0) {
      if (nowMs < h.pausedUntil) {
        return { send: false, untilMs: h.pausedUntil, reason: `${platform} unreachable` };
      }
      if (h.probing) {
        const untilMs = nowMs + this.pauseMs(h.failures);
        return { send: false, untilMs, reason: `${platform} unreachable; a probe is in flight` };
      }
    }
    return { send: true };
  }

  /** A send admitted by `admit` starts (call before any await). True when it is the probe. */
  started(platform: Platform): boolean {
    const h = this.of(platform);
    const probe = h.failures > 0;
    if (probe) h.probing = true;
    return probe;
  }

  /** The send that `started` returned `probe` for ended, and what it showed. */
  finished(platform: Platform, probe: boolean, result: Reachability, nowMs: number): void {
    const h = this.of(platform);
    if (probe) h.probing = false;
    if (result === 'untested') return;
    if (result === 'reachable') {
      h.failures = 0;
      h.pausedUntil = 0;
      return;
    }
    h.failures += 1;
    h.pausedUntil = Math.max(h.pausedUntil, nowMs + this.pauseMs(h.failures));
  }

  /** True while `platform` is being backed off (for logs and metrics). */
  isFailing(platform: Platform): boolean {
    return this.of(platform).failures > 0;
  }

  private pauseMs(failures: number): number {
    return backoffDelay(failures, PLATFORM_BACKOFF, this.options.random);
  }

  private of(platform: Platform): Health {
    let h = this.health.get(platform);
    if (!h) {
      h = { failures: 0, pausedUntil: 0, probing: false };
      this.health.set(platform, h);
    }
    return h;
  }
}
