import type { Database } from 'better-sqlite3';
import type { SignalState, VersionedSignals } from '../../incidents/signal-state.js';
import type { SignalsCommit } from '../store.js';

/**
 * A service's merged signals in the embedded store, one `doc` row each (`signals:<service>`,
 * body `{ version, state }`): no schema of their own. Written only inside the poll's commit
 * transaction, and only at the version the poll read.
 */
export class SqliteSignals {
  constructor(private readonly db: Database) {}

  read(serviceId: string): VersionedSignals | undefined {
    const body = this.db
      .prepare('SELECT body FROM doc WHERE key = ?')
      .pluck()
      .get(keyOf(serviceId)) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as VersionedSignals);
  }

  /** False, writing nothing, when the stored version is not the one the commit read. */
  save({ state, version }: SignalsCommit): boolean {
    if ((this.read(state.serviceId)?.version ?? 0) !== version) return false;
    const body: VersionedSignals = { state: state satisfies SignalState, version: version + 1 };
    this.db
      .prepare('INSERT OR REPLACE INTO doc (key, body, expires_at) VALUES (?, ?, NULL)')
      .run(keyOf(state.serviceId), JSON.stringify(body));
    return true;
  }
}

const keyOf = (serviceId: string): string => `signals:${serviceId}`;
