import type { Database, Statement } from 'better-sqlite3';
import type { ServiceState } from '../../incidents/state.js';
import { DeferredReleases } from '../deferred-releases.js';
import { type LeaseFence, type PollStart, stateKeyOf } from '../store.js';
import { statementCache } from './statements.js';

/**
 * The embedded store's poll state (table service_state, one row per state key) and the leases
 * that let one replica at a time poll a source (table lease). Releases held for later are written
 * in the next poll start's transaction, so they cost no write of their own.
 */
export class SqlitePollState {
  private readonly sql: (source: string) => Statement;
  private readonly releases = new DeferredReleases<undefined>((fill) => fill(undefined));

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {
    this.sql = statementCache(db);
  }

  read(stateKey: string): ServiceState | undefined {
    const body = this.sql('SELECT body FROM service_state WHERE service_id = ?')
      .pluck()
      .get(stateKey) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as ServiceState);
  }

  begin(fence: LeaseFence, ttlMs: number, stateKey: string): PollStart {
    return this.db
      .transaction((): PollStart => {
        // Releases held for the next start go in its transaction: no write of their own.
        this.releases.drainInto(undefined);
        if (!this.takeLease(fence.name, fence.owner, ttlMs)) return { leased: false };
        return { leased: true, state: this.read(stateKey) };
      })
      .immediate();
  }

  /** Part of the poll's commit transaction: the caller holds it. */
  save(state: ServiceState): void {
    this.sql('INSERT OR REPLACE INTO service_state (service_id, body) VALUES (?, ?)').run(
      stateKeyOf(state),
      JSON.stringify(state),
    );
  }

  leaseHeld(fence: LeaseFence): boolean {
    return (
      this.sql('SELECT 1 FROM lease WHERE name = ? AND owner = ? AND until > ?').get(
        fence.name,
        fence.owner,
        this.now(),
      ) !== undefined
    );
  }

  /** The poll a fenced commit guarded is over: its lease goes, whoever holds it. */
  endLease(fence: LeaseFence): void {
    this.sql('DELETE FROM lease WHERE name = ?').run(fence.name);
  }

  tryLease(name: string, owner: string, ttlMs: number): boolean {
    this.releases.drainInto(undefined);
    return this.takeLease(name, owner, ttlMs);
  }

  releaseLease(name: string, owner: string): void {
    this.sql('DELETE FROM lease WHERE name = ? AND owner = ?').run(name, owner);
  }

  releaseLeaseSoon(name: string, owner: string): void {
    this.releases.add(() =>
      this.sql('DELETE FROM lease WHERE name = ? AND owner = ?').run(name, owner),
    );
  }

  /** Writes the held releases now (closing). */
  flushReleases(): void {
    this.releases.flush();
  }

  private takeLease(name: string, owner: string, ttlMs: number): boolean {
    const now = this.now();
    // The holder may renew; anyone may take an expired lease.
    const result = this.sql(
      `INSERT INTO lease (name, owner, until) VALUES (@name, @owner, @until)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE lease.owner = excluded.owner OR lease.until <= @now`,
    ).run({ name, owner, until: now + ttlMs, now });
    return result.changes > 0;
  }
}
