/**
 * Failures the fake Slack answers on demand, and Slack's per-channel posting limit.
 *
 * A rule matches calls by method; `every: 2` fires on every second matching call, `times` caps how
 * often it fires. By default the fault replaces the call (Slack did nothing); `afterCommit` runs
 * the call first and then answers with the fault, the "it was posted but the answer was lost"
 * case a client can only resolve by looking.
 */

export interface FaultRule {
  /** Method name or pattern; every method when omitted. */
  method?: string | RegExp;
  /** Fire on every n-th matching call (1 = every call). Default 1. */
  every?: number;
  /** Stop after firing this many times. Default: no limit. */
  times?: number;
  /** HTTP status to answer: 429 (with Retry-After) or a 5xx. */
  status?: number;
  /** Seconds, sent as an integer Retry-After header with 429. Default 1. */
  retryAfter?: number;
  /** Answer HTTP 200 `{ ok: false, error }` instead. */
  okFalse?: string;
  /** Wait this long before answering (longer than the client's timeout: a timeout). */
  delayMs?: number;
  /** Perform the call, then answer with the fault. */
  afterCommit?: boolean;
}

export interface FaultDecision {
  status?: number;
  retryAfter?: number;
  okFalse?: string;
  delayMs?: number;
  afterCommit: boolean;
}

export interface FaultHandle {
  fired(): number;
}

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  fired: number;
}

export class Faults {
  private rules: ActiveRule[] = [];

  /**
   * `first`: ahead of the rules already there (the first rule that fires answers). The handle
   * says how often it has fired so far.
   */
  add(rule: FaultRule, options: { first?: boolean } = {}): FaultHandle {
    const active: ActiveRule = { rule, seen: 0, fired: 0 };
    if (options.first) this.rules.unshift(active);
    else this.rules.push(active);
    return { fired: () => active.fired };
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that fires for this call, counting the call against every matching rule. */
  decide(method: string): FaultDecision | undefined {
    let decision: FaultDecision | undefined;
    for (const active of this.rules) {
      const { rule } = active;
      if (!matches(rule.method, method)) continue;
      active.seen += 1;
      if (decision) continue;
      if (rule.times !== undefined && active.fired >= rule.times) continue;
      if (active.seen % (rule.every ?? 1) !== 0) continue;
      active.fired += 1;
      decision = {
        afterCommit: rule.afterCommit ?? false,
        ...(rule.status !== undefined ? { status: rule.status } : {}),
        ...(rule.status === 429 ? { retryAfter: rule.retryAfter ?? 1 } : {}),
        ...(rule.okFalse !== undefined ? { okFalse: rule.okFalse } : {}),
        ...(rule.delayMs !== undefined ? { delayMs: rule.delayMs } : {}),
      };
    }
    return decision;
  }
}

function matches(pattern: string | RegExp | undefined, method: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? pattern === method : pattern.test(method);
}

export interface ChannelLimit {
  /** Sustained messages per second per channel. */
  perSecond: number;
  /** Short bursts Slack tolerates above that. */
  burst: number;
}

/**
 * chat.postMessage "generally allows one message per second per channel", with short bursts. A
 * token bucket per channel; `hits` counts refusals so a test can show the bot paced itself.
 */
export class ChannelRateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  hits = 0;

  constructor(
    public limit: ChannelLimit | undefined,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Undefined when allowed, else the whole seconds to wait. */
  take(channel: string): number | undefined {
    if (!this.limit) return undefined;
    const now = this.clock();
    const { perSecond, burst } = this.limit;
    const bucket = this.buckets.get(channel) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    this.hits += 1;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }
}
