import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';

/** Slack token shapes (bot, user, app-level, refresh, config): blanked out of free text. */
const SLACK_TOKEN = /\bx(?:ox[abeoprs]|app)-[A-Za-z0-9-]+/g;

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * Bolt, web-api and socket-mode log through this, into the app's pino logger. Objects go to
 * pino as objects, so its redaction paths (token, headers.authorization, ...) apply; turning them
 * into strings first would hide the keys from it. Free text cannot be redacted by key, so
 * anything shaped like a Slack token is blanked out of it.
 */
export function boltLogger(log: Logger): BoltLogger {
  const emit =
    (level: Level) =>
    (...parts: unknown[]) => {
      const { fields, text } = split(parts);
      if (fields) log[level](fields, text);
      else log[level](text);
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    // The level is the app's (LOG_LEVEL); the libraries may not change it.
    setLevel: () => {},
    getLevel: () => toBoltLevel(log.level),
    setName: () => {},
  };
}

/** Strings and numbers make the message; objects become pino's fields (an Error its `err`). */
function split(parts: unknown[]): { fields?: Record<string, unknown>; text: string } {
  const words: string[] = [];
  let fields: Record<string, unknown> | undefined;
  for (const part of parts) {
    if (part instanceof Error) {
      fields = { ...fields, err: part };
    } else if (part !== null && typeof part === 'object' && !Array.isArray(part)) {
      fields = { ...fields, ...(part as Record<string, unknown>) };
    } else if (Array.isArray(part)) {
      fields = { ...fields, items: part };
    } else {
      words.push(String(part));
    }
  }
  return {
    ...(fields ? { fields } : {}),
    text: words.join(' ').replace(SLACK_TOKEN, '[redacted]'),
  };
}

function toBoltLevel(level: string): LogLevel {
  if (level === 'trace' || level === 'debug') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}
