import { type Client, Status } from 'discord.js';

/** Helpers for the one gateway session the lease holder keeps (adapter.ts). */

/** The longest wait between two login attempts of one replica after failures. */
export const MAX_LOGIN_BACKOFF_MS = 5 * 60_000;

/** The pause after the `failures`-th failed login in a row: a lease round, doubling each time. */
export function loginPauseMs(ttlMs: number, failures: number): number {
  return Math.min(MAX_LOGIN_BACKOFF_MS, (ttlMs / 3) * 2 ** Math.max(0, failures - 1));
}

/** Every shard is ready (the client's own isReady() stays true while a shard reconnects). */
export function sessionReady(c: Client): boolean {
  const shards = [...c.ws.shards.values()];
  return shards.length > 0 && shards.every((s) => s.status === Status.Ready);
}

/** Rejects once `signal` aborts (never resolves). */
export function whenAborted(signal: AbortSignal, message: string): Promise<never> {
  const aborted = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(new Error(message)), { once: true }),
  );
  aborted.catch(() => undefined);
  return aborted;
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`discord: no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface GatewaySocket {
  readyState: number;
  on(event: 'error', listener: () => void): unknown;
  terminate(): void;
}

type Internals = { _ws?: { strategy?: { shards?: Map<unknown, { connection?: GatewaySocket }> } } };

/**
 * `c.destroy()`, made safe for a socket still in its opening handshake (a login or reconnect in
 * flight): @discordjs/ws then drops the socket's error handler without closing it, so the
 * handshake's later failure would throw from the event loop and end the process.
 */
export async function destroyClient(c: Client): Promise<void> {
  const shards = (c.ws as unknown as Internals)._ws?.strategy?.shards?.values() ?? [];
  const open = [...shards].flatMap((s) => (s.connection ? [s.connection] : []));
  for (const socket of open) socket.on('error', () => undefined);
  await c.destroy();
  for (const socket of open) if (socket.readyState <= 1) socket.terminate();
}

/**
 * destroy() early in login() can miss the gateway manager login() creates afterwards, and it flags
 * the client so a second destroy() does nothing: shut that manager down directly.
 */
export async function destroyLate(c: Client): Promise<void> {
  const manager = (c.ws as unknown as { _ws?: { destroy(): Promise<void> } })._ws;
  await manager?.destroy();
}
