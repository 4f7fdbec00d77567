import type { Logger } from 'pino';

export interface RenewalLoop {
  /** One renewal: true while the lease is still ours. */
  renew: () => Promise<boolean>;
  leaseMs: number;
  log: Logger;
  /** Logged once when the lease is found taken. */
  lostMessage: string;
  /** What could not be renewed, for the log of a failed (to be retried) renewal. */
  what: string;
  onLost?: () => void;
}

/**
 * Renews a lease every third of its length while the work it guards runs. A renewal that errors
 * is tried again on the next beat; one that finds the lease gone stops the loop and says so once.
 * The timer never keeps the process alive. Returns the stop.
 */
export function keepRenewing({ renew, leaseMs, log, lostMessage, what, onLost }: RenewalLoop) {
  let stopped = false;
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      renew()
        .then(
          (held) => {
            if (held || stopped) return;
            clearInterval(timer);
            log.warn(lostMessage);
            onLost?.();
          },
          (err: unknown) => {
            if (!stopped) log.warn({ err }, `could not renew the ${what}; will try again`);
          },
        )
        .finally(() => {
          renewing = false;
        });
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return (): void => {
    stopped = true;
    clearInterval(timer);
  };
}
