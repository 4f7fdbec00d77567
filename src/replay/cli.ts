import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createPreviewAdapter } from '../../adapters/console/preview-adapter.js';
import type { PlatformEntry } from '../../adapters/platform.js';
import { PREVIEWS } from '../../adapters/previews.js';
import { PLATFORMS } from '../../adapters/registry.js';
import { createLogger } from '../logger.js';
import { parseTimeline, TimelineError } from './load-timeline.js';
import { runReplay } from './run-replay.js';

/**
 * `npm run replay -- <timeline> [--speed N|max] [--platform console|slack|discord]`: a composition root that
 * reads a timeline (a name from timelines/, or a path), plays it, and prints what the bot posts.
 * No network, no token, no state kept: the store lives in a temporary folder removed at the end.
 */

const USAGE =
  'usage: npm run replay -- <timeline name or file> [--speed N|max] [--platform console|slack|discord]';
const TIMELINES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../timelines');

interface Args {
  timeline: string;
  speed: number | 'max';
  platform: string;
}

function parseArgs(argv: string[]): Args {
  let timeline: string | undefined;
  let speed: number | 'max' = 600;
  let platform = 'console';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--speed') {
      const raw = value();
      speed = raw === 'max' ? 'max' : Number(raw);
      if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0))
        throw new UsageError(`--speed takes a positive number or max, not ${raw}`);
    } else if (arg === '--platform') {
      platform = value();
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (timeline === undefined) {
      timeline = arg;
    } else {
      throw new UsageError(`one timeline at a time (got ${timeline} and ${arg})`);
    }
  }
  if (!timeline) throw new UsageError('which timeline?');
  return { timeline, speed, platform };
}

class UsageError extends Error {}

/** A bare name is a file of timelines/; anything with a slash or an extension is a path. */
const timelinePath = (name: string): string =>
  /[/\\]|\.ya?ml$/.test(name) ? resolve(name) : join(TIMELINES, `${name}.yml`);

/**
 * The console (no platform entry: the app falls back to it), or the console showing another
 * platform's rendering. The preview's adapter is the console channel's, so the replay's services
 * are followed as with WATCH; the entry adds only that platform's mention markup.
 */
function platformsFor(name: string): PlatformEntry[] {
  if (name === 'console') return [];
  const renderer = PREVIEWS[name];
  const real = PLATFORMS.find((p) => p.platform === name);
  if (!renderer || !real) {
    throw new UsageError(
      `--platform takes console, ${Object.keys(PREVIEWS).join(' or ')}, not ${name}`,
    );
  }
  return [
    {
      platform: real.platform,
      config: { spec: {} },
      mentions: real.mentions,
      create: (deps) => createPreviewAdapter(name, renderer, deps.writeOut),
    },
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const platforms = platformsFor(args.platform);
  const path = timelinePath(args.timeline);
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(
      err.code === 'ENOENT' ? `no timeline at ${path}` : `cannot read ${path}: ${err.message}`,
    );
  });
  const timeline = parseTimeline(text, path);
  // A source that cannot be reached logs a warning at every poll: in a replay of an outage that
  // is the story's background, not news; LOG_LEVEL=warn shows it.
  const logLevel = process.env.LOG_LEVEL ?? 'error';
  const logger = createLogger({ level: logLevel, pretty: process.stderr.isTTY === true });
  const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-replay-'));
  try {
    const result = await runReplay({
      timeline,
      speed: args.speed,
      wall: { now: () => performance.now(), sleep: (ms) => sleep(ms) },
      platforms,
      env: { LOG_LEVEL: logLevel },
      dataDir,
      logger,
      print: (text) => process.stdout.write(text),
      readFile: (file) => readFile(file, 'utf8'),
    });
    logger.info(result, `replay of ${timeline.name} done`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) process.stderr.write(`${err.message}\n${USAGE}\n`);
  else if (err instanceof TimelineError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`replay failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(err instanceof UsageError || err instanceof TimelineError ? 2 : 1);
});
