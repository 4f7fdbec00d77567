import type { Duplex } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscordAdapter } from '../../../adapters/discord/adapter.js';
import type { LeaseStore } from '../../../adapters/discord/gateway-lease.js';
import { PERMISSIONS } from '../../fakes/discord/index.js';
import { type Harness, startHarness } from './harness.js';

/**
 * The gateway holder hands over when it cannot serve: its session is gone for good, its logins
 * fail (backing off between attempts), or its lease renewals hang.
 */

/**
 * Each lease round has a third of this to be scheduled and answered (gateway-lease.ts), and a
 * first login in a fresh process, on a loaded machine, holds the event loop for hundreds of ms
 * (600 ms lost the lease in the middle of the harness's own login under `stress-ng --cpu 2`).
 */
const TTL = 3_000;
/** Waits for what the lease timings make happen: generous, as a loaded machine fires timers late. */
const PATIENCE_MS = 30_000;

interface LogRecord {
  level: number;
  time: number;
  msg: string;
  failures?: number;
  nextAttemptAt?: string;
}

function captureLogger() {
  const records: LogRecord[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void records.push(JSON.parse(line) as LogRecord) },
  );
  return { logger, records };
}

describe.each(['embedded', 'redis'] as const)('discord gateway health (%s store)', (store) => {
  let h: Harness;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    cleanup?.();
    cleanup = undefined;
    await h?.close();
  });

  const answers = async () =>
    (
      await h.fake.interact({
        subcommand: 'subscribe',
        options: { service: 'github' },
        channel: h.fake.channels.incidents,
        permissions: PERMISSIONS.member,
      })
    ).callbacks.length;

  const serving = (r: DiscordAdapter) => r.holdsGateway && r.client?.isReady() === true;

  it('a holder whose session does not come back hands the gateway to another replica', async () => {
    h = await startHarness({ store, adapter: { gatewayLeaseMs: TTL } });
    const a = h.adapter;
    const b = h.makeAdapter();
    await b.start();
    expect(a.holdsGateway).toBe(true);
    expect(b.holdsGateway).toBe(false);

    // The gateway refuses every new socket, then drops A's: discord.js reconnects in vain.
    const gateway = h.fake.gateway;
    const accept = gateway.handleUpgrade.bind(gateway);
    let refusing = true;
    gateway.handleUpgrade = (req, socket, head) =>
      refusing ? socket.destroy() : accept(req, socket, head);
    cleanup = () => {
      refusing = false;
    };
    const droppedAt = Date.now();
    gateway.dropConnections();
    await h.fake.waitFor(() => !a.holdsGateway && !a.client, {
      timeoutMs: PATIENCE_MS,
      what: 'A to leave the gateway it cannot reach',
    });
    // Reconnecting is given two leases before A gives up.
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(2 * TTL);

    refusing = false;
    const holder = await h.fake.waitFor(() => [a, b].find(serving), {
      timeoutMs: PATIENCE_MS,
      what: 'a replica to serve the gateway again',
    });
    expect([a, b].filter((r) => r.holdsGateway)).toEqual([holder]);
    expect(h.fake.gateway.liveSessions).toBe(1);
    expect(await answers()).toBe(1);
  });

  it('backs off exponentially between failed logins and logs each with its next attempt', async () => {
    h = await startHarness({ store, adapter: { gatewayLeaseMs: TTL } });
    const { logger, records } = captureLogger();
    // A standby whose token Discord refuses: each login it tries after taking the lease fails.
    // Its clock stands still, so each announced next attempt is exactly its pause from that
    // instant, however late under load the failure itself came.
    const frozen = new Date('2026-01-01T00:00:00.000Z');
    const bad = h.makeAdapter({ token: 'revoked-token', logger, now: () => frozen });
    await bad.start();
    await h.adapter.stop();

    const failed = () => records.filter((r) => r.msg.includes('gateway login failed'));
    await h.fake.waitFor(() => failed().length >= 4, {
      timeoutMs: PATIENCE_MS,
      what: 'four failed logins',
    });
    const failures = failed().slice(0, 4);
    expect(failures.map((r) => r.failures)).toEqual([1, 2, 3, 4]);
    const pauses = [0, 1, 2, 3].map((i) => (TTL / 3) * 2 ** i);
    expect(failures.map((r) => Date.parse(r.nextAttemptAt ?? '') - frozen.getTime())).toEqual(
      pauses,
    );
    // No attempt comes before its pause is over (load can only make it later; 5 ms covers the
    // millisecond rounding of two log timestamps and a timer firing at its edge).
    for (let i = 1; i < failures.length; i++) {
      const gap = (failures[i] as LogRecord).time - (failures[i - 1] as LogRecord).time;
      expect(gap).toBeGreaterThanOrEqual((pauses[i - 1] ?? 0) - 5);
    }
    expect(bad.client).toBeUndefined();
    expect(h.fake.gateway.liveSessions).toBe(0);
  });

  it('a holder whose renewal hangs leaves the gateway before its lease runs out', async () => {
    // Leaving is due 2/3 of a lease after the last renewal, which leaves the last third (1 s) for
    // a loaded machine's late timers and the socket's close to reach the fake.
    h = await startHarness({ store, adapter: { gatewayLeaseMs: TTL } });
    await h.adapter.stop();
    const inner = h.store.open();
    const hung: ((won: boolean) => void)[] = [];
    let hanging = false;
    const leaseStore: LeaseStore = {
      tryLease: (name, owner, ttlMs) =>
        hanging
          ? new Promise<boolean>((resolve) => hung.push(resolve))
          : inner.tryLease(name, owner, ttlMs),
      releaseLease: (name, owner) => inner.releaseLease(name, owner),
    };
    cleanup = () => {
      hanging = false;
      for (const resolve of hung) resolve(false);
    };
    const a = h.makeAdapter({ leaseStore });
    await a.start();
    expect(serving(a)).toBe(true);

    hanging = true;
    const hungAt = Date.now();
    await h.fake.waitFor(() => !a.holdsGateway && !a.client && h.fake.gateway.liveSessions === 0, {
      timeoutMs: PATIENCE_MS,
      what: 'A to leave while its renewal hangs',
    });
    // Renewed at most ttl/3 before the hang, so it left within the lease's lifetime.
    expect(Date.now() - hungAt).toBeLessThan(TTL);
  });

  it('a login in flight is cut short when the lease is lost', async () => {
    h = await startHarness({ store, adapter: { gatewayLeaseMs: TTL, readyTimeoutMs: 30_000 } });
    const inner = h.store.open();
    let blocked = false;
    const leaseStore: LeaseStore = {
      tryLease: async (name, owner, ttlMs) => !blocked && inner.tryLease(name, owner, ttlMs),
      releaseLease: (name, owner) => inner.releaseLease(name, owner),
    };
    const b = h.makeAdapter({ leaseStore });
    await b.start();
    // The gateway takes sockets but never answers, so B's login waits for READY.
    const gateway = h.fake.gateway;
    const accept = gateway.handleUpgrade.bind(gateway);
    let silent = true;
    const held: Duplex[] = [];
    gateway.handleUpgrade = (req, socket, head) =>
      silent ? void held.push(socket) : accept(req, socket, head);
    cleanup = () => {
      silent = false;
      for (const socket of held) socket.destroy();
    };
    await h.adapter.stop();
    await h.fake.waitFor(() => b.holdsGateway && b.client, { what: 'B to start logging in' });

    blocked = true; // another replica now holds the lease, as B learns at its next round
    await h.fake.waitFor(() => !b.holdsGateway && !b.client, {
      // Well inside the 30 s the login would otherwise wait for READY.
      timeoutMs: 15_000,
      what: 'B to abandon its login',
    });
    expect(h.fake.gateway.liveSessions).toBe(0);
  });
});
