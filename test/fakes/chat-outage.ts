import type { ServerResponse } from 'node:http';

/**
 * A chat platform's API being down for a while, as the fakes play it: `error` answers every API
 * request with HTTP 500 (nothing is done); `silent` accepts the connection and the request and
 * never answers, as a platform behind a dead load balancer does, until the client gives up.
 * The gateway / Socket Mode connections are not touched: this is the HTTP API failing.
 */
export type OutageMode = 'error' | 'silent';

export class ChatOutage {
  private mode: OutageMode = 'error';
  private until = 0;
  private readonly held = new Set<ServerResponse>();
  /** API requests that arrived during an outage (none of them took effect). */
  refused = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** From now on, for `forMs`, API requests fail in `mode`. */
  begin(mode: OutageMode, forMs: number): void {
    this.mode = mode;
    this.until = this.clock() + forMs;
  }

  /** Ends it now; requests held by a silent outage stay unanswered (their clients time out). */
  end(): void {
    this.until = 0;
  }

  get active(): OutageMode | undefined {
    return this.clock() < this.until ? this.mode : undefined;
  }

  /** When the outage ends (epoch ms), 0 when none is set. */
  get endsAt(): number {
    return this.until;
  }

  /**
   * Answers `res` as the outage would and returns true, or returns false when there is none. A
   * held response is forgotten once its client hangs up.
   */
  intercept(res: ServerResponse, errorBody: string, contentType: string): boolean {
    const mode = this.active;
    if (!mode) return false;
    this.refused += 1;
    if (mode === 'error') {
      res.writeHead(500, { 'content-type': contentType }).end(errorBody);
      return true;
    }
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
    return true;
  }
}
