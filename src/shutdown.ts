import type { Server } from 'node:http';
import type { Logger } from 'pino';

/**
 * How app.stop() spends a SIGTERM's 10 seconds (issue 9): polls and sends in flight get `workMs`,
 * then the adapters (in parallel), the HTTP server and the store get `closeMs` each; main.ts
 * exits on its own after SHUTDOWN_DEADLINE_MS whatever is left.
 */
export const SHUTDOWN = { workMs: 5_000, closeMs: 1_000 } as const;
export const SHUTDOWN_DEADLINE_MS = 9_500;

/** Stops accepting, closes idle keep-alive sockets at once and, after a moment, the rest. */
export function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const busy = setTimeout(() => server.closeAllConnections(), SHUTDOWN.closeMs / 2);
  return closed.finally(() => clearTimeout(busy));
}

/**
 * Waits for `step` at most `ms` (wall time: a shutdown is real time, whatever clock the app runs
 * on); a step that fails or overruns is logged and left behind, so the next one still runs.
 */
export async function within(step: Promise<void>, ms: number, what: string, logger: Logger) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    const outcome = await Promise.race([step.then(() => 'done' as const), late]);
    if (outcome === 'late') logger.warn({ waitedMs: ms }, `${what} did not finish in time`);
  } catch (err) {
    logger.warn({ err }, `${what} failed`);
  } finally {
    clearTimeout(timer);
  }
}
