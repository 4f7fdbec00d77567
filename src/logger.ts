import { type Logger, type LoggerOptions, pino } from 'pino';

/** Paths pino blanks out wherever they appear in a log line. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.SLACK_APP_TOKEN',
  'config.DISCORD_TOKEN',
  'config.REDIS_URL',
];

export interface LoggerSetup {
  level: string;
  /** Human-readable output (a terminal); JSON otherwise. */
  pretty: boolean;
  destination?: NodeJS.WritableStream;
}

export function createLogger(setup: LoggerSetup): Logger {
  const options: LoggerOptions = {
    level: setup.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { name: 'outage-bot' },
  };
  if (setup.pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, destination: 2, ignore: 'pid,hostname,name' },
      },
    });
  }
  return setup.destination
    ? pino(options, setup.destination as never)
    : pino(options, pino.destination(2));
}

/** Removes credentials from a URL (e.g. redis://:secret@host) before it is logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}
