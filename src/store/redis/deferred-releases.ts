import type { ChainableCommander } from 'ioredis';

/** How long a lease released "soon" may wait for a round trip to ride on before one of its own. */
export const RELEASE_SOON_MS = 50;

type Release = (pipeline: ChainableCommander) => void;

/**
 * Lease releases that need no answer (a quiet poll's, which wrote nothing the lease guarded),
 * held until the store's next poll start carries them in its own pipeline: one socket write for
 * both. A lease whose release is lost expires by its TTL, as one whose holder died does.
 */
export class DeferredReleases {
  private pending: Release[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly flushAlone: (pipeline: (p: ChainableCommander) => void) => void) {}

  add(release: Release): void {
    this.pending.push(release);
    this.timer ??= setTimeout(() => this.flush(), RELEASE_SOON_MS);
    this.timer.unref();
  }

  /** Moves the held releases onto `pipeline`, ahead of its own commands. */
  drainInto(pipeline: ChainableCommander): void {
    for (const release of this.take()) release(pipeline);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Sends what is held now, in one pipeline of its own. */
  flush(): void {
    const releases = this.take();
    if (releases.length === 0) return;
    this.flushAlone((pipeline) => {
      for (const release of releases) release(pipeline);
    });
  }

  private take(): Release[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    const taken = this.pending;
    this.pending = [];
    return taken;
  }
}
