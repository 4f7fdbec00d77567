import type { Logger } from 'pino';

/**
 * Whether the bot itself can reach the internet, judged by unrelated, well-kept sites. A probe
 * that fails while these fail too says nothing about the probed service: the bot is offline.
 */
export interface Connectivity {
  /** True when at least one control target answered (any HTTP status) recently. */
  online(signal?: AbortSignal): Promise<boolean>;
  /** The last verdict, without checking: for /readyz and logs. */
  readonly offlineSince: string | undefined;
}

export interface ConnectivityOptions {
  controlUrls: readonly string[];
  fetch: typeof globalThis.fetch;
  now: () => Date;
  logger: Logger;
  timeoutMs?: number;
  /** A verdict is reused this long, so that a storm of failing probes asks once. */
  cacheMs?: number;
}

export function createConnectivity(options: ConnectivityOptions): Connectivity {
  const cacheMs = options.cacheMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let verdict = true;
  let inFlight: Promise<boolean> | undefined;
  let offlineSince: string | undefined;

  const reachable = async (url: string, signal?: AbortSignal): Promise<boolean> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await options.fetch(url, {
        method: 'HEAD',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      await res.body?.cancel().catch(() => undefined);
      return true;
    } catch {
      return false;
    }
  };

  const check = async (signal?: AbortSignal): Promise<boolean> => {
    const results = await Promise.all(options.controlUrls.map((u) => reachable(u, signal)));
    const online = options.controlUrls.length === 0 || results.some(Boolean);
    const at = options.now();
    checkedAt = at.getTime();
    verdict = online;
    if (!online && offlineSince === undefined) {
      offlineSince = at.toISOString();
      options.logger.error(
        { controlUrls: options.controlUrls },
        'the bot is offline: no control target answers; probe failures are not reported',
      );
    } else if (online && offlineSince !== undefined) {
      options.logger.warn({ offlineSince }, 'the bot is back online');
      offlineSince = undefined;
    }
    return online;
  };

  return {
    get offlineSince() {
      return offlineSince;
    },
    online(signal) {
      if (options.now().getTime() - checkedAt < cacheMs) return Promise.resolve(verdict);
      inFlight ??= check(signal).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
