import type { Client } from 'discord.js';
import { sessionReady } from './gateway-session.js';

/**
 * Session health, asked by the gateway lease before each renewal: a session discord.js gave up
 * on, or one that has not been ready (reconnecting, resuming) for two leases, makes this replica
 * hand the gateway over. A login in flight has its own READY timeout.
 */
export class SessionHealth {
  /** performance.now() when the session stopped being ready. */
  private notReadySince: number | undefined;
  /** Set when discord.js gave up on the session (it will not reconnect). */
  gone: string | undefined;

  constructor(private readonly ttlMs: number) {}

  /** A new session starts healthy. */
  reset(): void {
    this.gone = undefined;
    this.notReadySince = undefined;
  }

  /** Why the logged-in session cannot serve, or undefined while it can. */
  trouble(client: Client | undefined, loggingIn: boolean): string | undefined {
    if (!client || loggingIn) return undefined;
    if (this.gone) return this.gone;
    if (sessionReady(client)) {
      this.notReadySince = undefined;
      return undefined;
    }
    const now = performance.now();
    this.notReadySince ??= now;
    const ms = Math.round(now - this.notReadySince);
    return ms > 2 * this.ttlMs ? `the gateway session has not been ready for ${ms} ms` : undefined;
  }
}
