import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import dotenv from 'dotenv';
import { PLATFORMS, platformConfig } from '../adapters/registry.js';
import { startApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { SHUTDOWN_DEADLINE_MS } from './shutdown.js';

/**
 * Process entry: reads `.env` and the environment, validates them, starts the app, and stops it
 * cleanly on SIGTERM/SIGINT. Everything else is wired in app.ts so tests can start it in-process.
 */
async function main(): Promise<void> {
  const env: Record<string, string | undefined> = {};
  dotenv.config({ processEnv: env as NodeJS.ProcessEnv, quiet: true });
  Object.assign(env, process.env);

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env, platformConfig(PLATFORMS));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }

  const pretty =
    config.LOG_FORMAT === 'pretty' ||
    (config.LOG_FORMAT === 'auto' && process.stderr.isTTY === true);
  const logger = createLogger({ level: config.LOG_LEVEL, pretty });
  const app = await startApp({
    config,
    platforms: PLATFORMS,
    logger,
    fetch: globalThis.fetch,
    now: () => new Date(),
    readFile: (path) => readFile(path, 'utf8'),
    writeOut: (text) => process.stdout.write(text),
    instanceId: `${hostname()}:${process.pid}`,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const started = Date.now();
    // The last word: whatever hangs, the process is gone before an orchestrator's kill.
    setTimeout(() => {
      logger.error({ waitedMs: SHUTDOWN_DEADLINE_MS }, 'shutdown overran; exiting now');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app
      .stop()
      .then(() => {
        logger.info({ tookMs: Date.now() - started }, 'stopped cleanly');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'unclean shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `outage-bot failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
