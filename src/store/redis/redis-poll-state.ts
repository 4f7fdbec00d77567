import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import type { ServiceState } from '../../incidents/state.js';
import { DeferredReleases } from '../deferred-releases.js';
import type { LeaseFence, PollStart } from '../store.js';
import { getJson, storeKey } from './redis-keys.js';
import * as lua from './scripts.js';

interface PollScripts {
  leaseTry(...args: (string | number)[]): Promise<number>;
  leaseRelease(...args: string[]): Promise<number>;
  pollBegin(...args: (string | number)[]): Promise<[string | null] | null>;
}

/**
 * The Redis store's poll state (`state:<stateKey>`, JSON ServiceState) and the leases that let
 * one replica at a time poll a source (`lease:<name>`, the owner, with PX expiry). Releases held
 * for later ride in the next poll start's pipeline, so they cost no write of their own.
 */
export class RedisPollState {
  private readonly scripts: PollScripts;
  private readonly releases = new DeferredReleases<ChainableCommander>((fill) => {
    const pipeline = this.redis.pipeline();
    fill(pipeline);
    pipeline.exec().catch(() => undefined);
  });

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {
    redis.defineCommand('leaseTry', { numberOfKeys: 1, lua: lua.TRY_LEASE });
    redis.defineCommand('leaseRelease', { numberOfKeys: 1, lua: lua.RELEASE_LEASE });
    redis.defineCommand('pollBegin', { numberOfKeys: 2, lua: lua.BEGIN_POLL });
    this.scripts = redis as unknown as PollScripts;
  }

  async read(stateKey: string): Promise<ServiceState | undefined> {
    return getJson<ServiceState>(this.redis, storeKey(this.prefix, 'state', stateKey));
  }

  async begin(fence: LeaseFence, ttlMs: number, stateKey: string): Promise<PollStart> {
    const args = [
      storeKey(this.prefix, 'lease', fence.name),
      storeKey(this.prefix, 'state', stateKey),
      fence.owner,
      Math.max(1, Math.ceil(ttlMs)),
    ] as const;
    const found = this.releases.size
      ? await this.withReleases<[string | null] | null>((p) =>
          (p as unknown as PollScripts).pollBegin(...args),
        )
      : await this.scripts.pollBegin(...args);
    if (!found) return { leased: false };
    const [body] = found;
    return { leased: true, state: body ? (JSON.parse(body) as ServiceState) : undefined };
  }

  async tryLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    return (await this.scripts.leaseTry(storeKey(this.prefix, 'lease', name), owner, ttl)) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.scripts.leaseRelease(storeKey(this.prefix, 'lease', name), owner);
  }

  releaseLeaseSoon(name: string, owner: string): void {
    const key = storeKey(this.prefix, 'lease', name);
    this.releases.add((p) => (p as unknown as PollScripts).leaseRelease(key, owner));
  }

  /** Sends the held releases now, answers not awaited (closing). */
  flushReleases(): void {
    this.releases.flush();
  }

  /** The held releases and then `command`, in one pipeline (one write); the command's answer. */
  private async withReleases<T>(command: (p: ChainableCommander) => unknown): Promise<T> {
    const pipeline = this.redis.pipeline();
    this.releases.drainInto(pipeline);
    command(pipeline);
    const answers = (await pipeline.exec()) ?? [];
    const [err, value] = answers[answers.length - 1] ?? [new Error('pipeline: no answer')];
    if (err) throw err;
    return value as T;
  }
}
