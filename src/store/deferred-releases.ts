/** How long a lease released "soon" may wait for a round trip to ride on before one of its own. */
export const RELEASE_SOON_MS = 50;

/** Adds one release to `carrier` (a Redis pipeline), or does it (embedded: no carrier). */
type Release<C> = (carrier: C) => void;

/**
 * Lease releases that need no answer (a quiet poll's, which wrote nothing the lease guarded),
 * held until the store's next poll start carries them: in its pipeline (Redis: one socket write
 * for both) or its transaction (embedded: no write of their own). A lease whose release is lost
 * expires by its TTL, as one whose holder died does.
 */
export class DeferredReleases<C> {
  private pending: Release<C>[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly flushAlone: (fill: (carrier: C) => void) => void) {}

  add(release: Release<C>): void {
    this.pending.push(release);
    this.timer ??= setTimeout(() => this.flush(), RELEASE_SOON_MS);
    this.timer.unref();
  }

  /** Moves the held releases onto `carrier`, ahead of its own commands. */
  drainInto(carrier: C): void {
    for (const release of this.take()) release(carrier);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Sends what is held now, in one pipeline of its own. */
  flush(): void {
    const releases = this.take();
    if (releases.length === 0) return;
    this.flushAlone((carrier) => {
      for (const release of releases) release(carrier);
    });
  }

  private take(): Release<C>[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    const taken = this.pending;
    this.pending = [];
    return taken;
  }
}
