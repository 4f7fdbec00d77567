import type { Logger } from 'pino';
import { type App, type AppDeps, startApp } from '../app.js';
import { loadConfig } from '../config.js';
import { type PlayReport, reportsAsUsers } from './report-hook.js';
import { SimClock } from './sim-clock.js';
import { SimulatedInternet } from './simulated-internet.js';
import type { TimedSignal, Timeline } from './timeline.js';

/** Wall time, for pacing a replay at a finite speed. */
export interface WallClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface ReplayOptions {
  timeline: Timeline;
  /** Simulated seconds per wall second; `max`: as fast as the bot can go. */
  speed: number | 'max';
  /** Needed for a finite speed. */
  wall?: WallClock;
  /** The chat platforms (an empty list: the console adapter). */
  platforms: AppDeps['platforms'];
  /** Settings on top of the replay's own (a platform's, the log level). */
  env?: Record<string, string>;
  /** The embedded store's folder for this run; the caller removes it. */
  dataDir: string;
  logger: Logger;
  /** Each message, stamped with its simulated UTC time. */
  print: (text: string) => void;
  readFile: AppDeps['readFile'];
  /** What report signals meet; by default that many people's `/outage report`. */
  playReport?: PlayReport;
}

export interface ReplayResult {
  messages: number;
  /** Polls, probes and lookups the simulated internet answered. */
  requests: number;
}

/** `15:40:30` of an epoch ms, in UTC. */
export const utcClock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/**
 * Prefixes a message with its time; its other lines are indented under the first, so every line
 * that starts a message starts with a time.
 */
export function stampMessage(ms: number, text: string): string {
  const stamp = utcClock(ms);
  const pad = ' '.repeat(stamp.length + 1);
  const lines = text.replace(/\n$/, '').split('\n');
  return `${lines.map((line, i) => (i === 0 ? `${stamp} ${line}` : `${pad}${line}`)).join('\n')}\n`;
}

/**
 * Plays a timeline through the real bot (startApp: scheduler, sources, reconcile, router, outbox,
 * worker, adapter) on a simulated clock and a simulated internet. Time only moves when the bot
 * has nothing left to do at the current moment, so the output is the same at any speed.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const { timeline, logger } = options;
  const clock = new SimClock(timeline.fromMs);
  const internet = new SimulatedInternet();
  let messages = 0;
  let app: App | undefined;
  const playReport = options.playReport ?? reportsAsUsers();

  const play = async (signal: TimedSignal): Promise<void> => {
    if (signal.kind === 'host') {
      for (const host of signal.hosts) {
        internet.setHost(host, {
          dns: signal.dns,
          status: signal.status,
          ...(signal.body !== undefined ? { body: signal.body } : {}),
        });
      }
    } else if (signal.kind === 'source') {
      const json = signal.json !== undefined;
      internet.setUrl(signal.url, {
        status: signal.status,
        body: json ? JSON.stringify(signal.json) : (signal.body ?? ''),
        contentType: json ? 'application/json' : 'text/plain; charset=utf-8',
      });
    } else if (app) {
      await playReport(signal, { at: clock.date(), app });
    }
  };

  // What holds at the first moment is in place before the first poll; the rest is timed.
  for (const signal of timeline.signals) {
    if (signal.atMs === timeline.fromMs && signal.kind !== 'report') await play(signal);
    else
      clock.setTimeout(
        () =>
          void play(signal).catch((err: unknown) =>
            logger.error({ err, signal: signal.kind }, 'replay signal failed'),
          ),
        signal.atMs - timeline.fromMs,
      );
  }

  const config = loadConfig(
    {
      DATA_DIR: options.dataDir,
      WATCH: timeline.services.join(','),
      POLL_SCHEDULE: '* * * * *',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    options.platforms.map((p) => p.config),
  );
  app = await startApp({
    config,
    platforms: options.platforms,
    logger,
    fetch: internet.fetch,
    resolveHost: internet.resolveHost,
    lookup: internet.lookup,
    now: () => clock.date(),
    timers: clock,
    listen: false,
    readFile: options.readFile,
    writeOut: (text) => {
      messages++;
      options.print(stampMessage(clock.now(), text));
    },
    instanceId: 'replay',
  });

  const activity = () => clock.activity + internet.requests + messages;
  const wallStart = options.wall?.now() ?? 0;
  try {
    for (;;) {
      await settle(activity);
      const next = clock.nextAt();
      if (next === undefined || next > timeline.untilMs) break;
      if (options.speed !== 'max' && options.wall) {
        const due = wallStart + (next - timeline.fromMs) / options.speed;
        const wait = due - options.wall.now();
        if (wait > 1) await options.wall.sleep(wait);
      }
      clock.runNext();
    }
    clock.advanceTo(timeline.untilMs);
  } finally {
    await app.stop();
  }
  return { messages, requests: internet.requests };
}

/**
 * Waits until the bot is idle at the current simulated moment: nothing scheduled, fetched or
 * printed for several turns of the event loop. Every collaborator is in-process (simulated
 * internet, embedded store), so the work of one moment finishes within a few turns.
 */
async function settle(activity: () => number, quietTurns = 4): Promise<void> {
  let last = activity();
  let quiet = 0;
  while (quiet < quietTurns) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const now = activity();
    if (now === last) quiet++;
    else {
      quiet = 0;
      last = now;
    }
  }
}
