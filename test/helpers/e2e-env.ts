import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type StatusServer, startStatusServer } from '../fakes/status-server.js';
import { BotProcess, freePort, tempDataDir } from './bot-process.js';
import { deleteKeys, TEST_REDIS_URL } from './stores.js';

export type Cleanup = () => Promise<void> | void;

/**
 * A service of the bot's services file: by default one Statuspage source at `url` (a fake status
 * page); `sources` replaces that with the given sources, of any kind.
 */
export interface ServiceSpec {
  id: string;
  name: string;
  url: string;
  sources?: Record<string, unknown>[];
}

export interface BotEnvOptions {
  services: ServiceSpec[];
  store?: 'embedded' | 'redis';
  /** Poll every service from the start, as the console adapter (no subscriptions) needs. */
  watch?: boolean;
  /** Platform settings, and overrides of the defaults below. */
  extra?: Record<string, string>;
}

/** The service the chat e2e tests subscribe to, on `page`. */
export const acmeService = (page: StatusServer): ServiceSpec => ({
  id: 'acme',
  name: 'Acme Cloud',
  url: page.url,
});

/** Opens a major incident on `page`, its API component in partial outage; returns its id. */
export const openApiIncident = (page: StatusServer, name: string, body: string): string =>
  page.setIncident({
    name,
    impact: 'major',
    body,
    components: ['API'],
    componentStatus: 'partial_outage',
  });

/**
 * What one end-to-end test started (fakes, data dirs, Redis prefixes, bot processes), undone in
 * reverse order after it, each step even if an earlier one failed.
 */
export class E2eScope {
  private readonly cleanups: Cleanup[] = [];

  defer(cleanup: Cleanup): void {
    this.cleanups.push(cleanup);
  }

  /** Closes `thing` (a fake server) after the test. */
  track<T extends { close(): Promise<void> | void }>(thing: T): T {
    this.defer(() => thing.close());
    return thing;
  }

  async cleanup(): Promise<void> {
    const errors: unknown[] = [];
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  async startPage(name: string): Promise<StatusServer> {
    return this.track(await startStatusServer({ name }));
  }

  /** The 'Acme' page with one operational component, API. */
  async startAcmePage(): Promise<StatusServer> {
    const page = await this.startPage('Acme');
    page.setComponent('API', 'operational');
    return page;
  }

  /**
   * The bot's environment: a fresh data dir holding a services file for `services`, polls every
   * second with no jitter, a free port, debug logs, no grouping, and for Redis a key prefix of its
   * own.
   */
  async botEnv(opts: BotEnvOptions): Promise<Record<string, string>> {
    const data = tempDataDir();
    this.defer(data.cleanup);
    const servicesFile = join(data.dir, 'services.json');
    const entries = opts.services.map(({ url, sources, ...s }) => ({
      ...s,
      sources: sources ?? [{ kind: 'statuspage', url }],
    }));
    writeFileSync(servicesFile, JSON.stringify(entries));
    const env: Record<string, string> = {
      DATA_DIR: data.dir,
      SERVICES_FILE: servicesFile,
      POLL_SCHEDULE: '* * * * * *',
      POLL_JITTER_MS: '0',
      // Short enough that a hanging page fails a poll soon, long enough that a loaded machine's
      // answer from a local page is not taken for one.
      POLL_TIMEOUT_MS: '5000',
      PORT: String(await freePort()),
      LOG_LEVEL: 'debug',
      // Each test follows its services' own threads; the grouping tests (grouping-*.test.ts) turn
      // grouping of simultaneous starts back on.
      GROUP_WINDOW_MS: '0',
    };
    if (opts.watch) env.WATCH = opts.services.map((s) => s.id).join(',');
    if (opts.store === 'redis') {
      const prefix = `e2e:${randomUUID()}:`;
      env.REDIS_URL = TEST_REDIS_URL;
      env.REDIS_KEY_PREFIX = prefix;
      this.defer(() => deleteKeys(prefix));
    }
    return { ...env, ...opts.extra };
  }

  /** Starts the bot; it is killed after the test if still running. */
  startBot(env: Record<string, string>): BotProcess {
    const bot = new BotProcess(env).start();
    this.defer(async () => {
      if (bot.running) await bot.kill();
    });
    return bot;
  }
}

/** A scope that the calling test file empties after each of its tests. */
export function e2eScope(): E2eScope {
  const scope = new E2eScope();
  afterEach(() => scope.cleanup());
  return scope;
}
