/**
 * Discord-style per-route rate limits and test-driven faults for the fake REST server.
 *
 * Buckets are keyed like Discord's: route template plus its major parameter (channel, guild or
 * webhook id). Every rate-limited response carries X-RateLimit-Limit/Remaining/Reset/Reset-After/
 * Bucket, so @discordjs/rest can throttle pre-emptively; a request over the limit gets a real 429
 * (JSON retry_after, Retry-After header, global false, scope user).
 */
import { createHash } from 'node:crypto';

export interface BucketSpec {
  limit: number;
  windowMs: number;
}

/** Route templates look like `POST /channels/:id/messages`. */
export type BucketTable = Record<string, BucketSpec>;

export const DEFAULT_BUCKETS: BucketTable = {
  'POST /channels/:id/messages': { limit: 5, windowMs: 5_000 },
  'PATCH /channels/:id/messages/:id': { limit: 5, windowMs: 5_000 },
  'POST /channels/:id/messages/:id/threads': { limit: 10, windowMs: 10_000 },
  'POST /channels/:id/threads': { limit: 10, windowMs: 10_000 },
  default: { limit: 50, windowMs: 1_000 },
};

interface BucketState {
  remaining: number;
  resetAt: number;
}

export type LimitVerdict =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; retryAfterS: number; headers: Record<string, string> };

export class RateLimiter {
  private readonly buckets = new Map<string, BucketState>();
  constructor(private table: BucketTable) {}

  configure(table: BucketTable): void {
    this.table = { ...this.table, ...table };
    this.buckets.clear();
  }

  take(template: string, majorParameter: string, now = Date.now()): LimitVerdict {
    const spec = this.table[template] ?? this.table.default ?? { limit: 50, windowMs: 1_000 };
    const key = `${template}:${majorParameter}`;
    let state = this.buckets.get(key);
    if (!state || now >= state.resetAt) {
      state = { remaining: spec.limit, resetAt: now + spec.windowMs };
      this.buckets.set(key, state);
    }
    const resetAfterS = Math.max(0, (state.resetAt - now) / 1000);
    const base = {
      'X-RateLimit-Limit': String(spec.limit),
      'X-RateLimit-Reset': (state.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': resetAfterS.toFixed(3),
      'X-RateLimit-Bucket': createHash('sha1').update(template).digest('hex').slice(0, 16),
    };
    if (state.remaining <= 0) {
      return {
        ok: false,
        retryAfterS: resetAfterS,
        headers: { ...base, 'X-RateLimit-Remaining': '0', 'X-RateLimit-Scope': 'user' },
      };
    }
    state.remaining -= 1;
    return { ok: true, headers: { ...base, 'X-RateLimit-Remaining': String(state.remaining) } };
  }
}

/**
 * Discord's global limit: so many requests per second per bot token, whatever the route
 * (interaction callbacks excepted). Off unless a fake is given `globalPerSecond`; a request over
 * it gets a 429 with `global: true`. `hits` counts them.
 */
export class GlobalLimiter {
  private windowStart = 0;
  private used = 0;
  hits = 0;
  constructor(readonly perSecond: number) {}

  /** Undefined when allowed, else the seconds until the window resets. */
  take(now = Date.now()): number | undefined {
    if (now - this.windowStart >= 1_000) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used < this.perSecond) {
      this.used += 1;
      return undefined;
    }
    this.hits += 1;
    return (this.windowStart + 1_000 - now) / 1000;
  }
}

/** What a fault makes the fake answer instead of (or after) doing the request. */
export type Fault =
  | { kind: 'rate_limit'; retryAfterS: number; global?: boolean }
  | { kind: 'server_error'; status: 500 | 502 | 503 | 504 }
  | { kind: 'api_error'; status: number; code: number; message: string }
  | { kind: 'delay'; ms: number };

export const FAULTS = {
  rateLimit: (retryAfterS = 1): Fault => ({ kind: 'rate_limit', retryAfterS }),
  serverError: (status: 500 | 502 | 503 | 504 = 500): Fault => ({ kind: 'server_error', status }),
  missingAccess: (): Fault => ({
    kind: 'api_error',
    status: 403,
    code: 50001,
    message: 'Missing Access',
  }),
  missingPermissions: (): Fault => ({
    kind: 'api_error',
    status: 403,
    code: 50013,
    message: 'Missing Permissions',
  }),
  unknownChannel: (): Fault => ({
    kind: 'api_error',
    status: 404,
    code: 10003,
    message: 'Unknown Channel',
  }),
  delay: (ms: number): Fault => ({ kind: 'delay', ms }),
};

export interface FaultRule {
  /** `POST /channels/:id/messages`-style template; omitted: every route. */
  route?: string;
  /** Extra filter on the concrete request. */
  match?: (req: { method: string; path: string; body: unknown }) => boolean;
  fault: Fault;
  /** How many times the rule fires before it retires (default: forever). */
  times?: number;
  /** Fire on every n-th matching request only (default 1: every one). */
  every?: number;
  /**
   * Do the request first, then answer with the fault: the caller cannot tell whether it
   * happened (a lost response). With a delay, the request takes effect at once and only its
   * answer is held (without afterEffect the delay comes before the request takes effect).
   */
  afterEffect?: boolean;
}

interface ActiveRule extends FaultRule {
  seen: number;
  fired: number;
}

export class FaultTable {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, seen: 0, fired: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, if a rule fires; advances the rules' counters. */
  pick(
    template: string,
    req: { method: string; path: string; body: unknown },
  ): ActiveRule | undefined {
    for (const rule of this.rules) {
      if (rule.route && rule.route !== template) continue;
      if (rule.match && !rule.match(req)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      rule.seen += 1;
      if (rule.seen % (rule.every ?? 1) !== 0) continue;
      rule.fired += 1;
      return rule;
    }
    return undefined;
  }
}
