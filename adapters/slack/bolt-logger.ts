import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Bolt, web-api and socket-mode log through this, into the app's pino logger (which redacts
 * secrets). web-api already strips tokens from the request bodies and headers it logs at debug.
 */
export function boltLogger(log: Logger): BoltLogger {
  const line = (parts: unknown[]): string =>
    parts.map((p) => (typeof p === 'string' ? p : safeJson(p))).join(' ');
  return {
    debug: (...msg: unknown[]) => log.debug(line(msg)),
    info: (...msg: unknown[]) => log.info(line(msg)),
    warn: (...msg: unknown[]) => log.warn(line(msg)),
    error: (...msg: unknown[]) => log.error(line(msg)),
    // The level is the app's (LOG_LEVEL); the libraries may not change it.
    setLevel: () => {},
    getLevel: () => toBoltLevel(log.level),
    setName: () => {},
  };
}

function toBoltLevel(level: string): LogLevel {
  if (level === 'trace' || level === 'debug') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}

function safeJson(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
