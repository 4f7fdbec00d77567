import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PLATFORMS, platformConfig } from '../../../adapters/registry.js';
import type { Reply } from '../../../commands/command.js';
import { type App, startApp } from '../../../src/app.js';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { startStatusServer } from '../../fakes/status-server.js';
import { tempDataDir } from '../../helpers/bot-process.js';
import { deleteKeys, TEST_REDIS_URL } from '../../helpers/stores.js';
import { chirpPlatform, startFakeChirp } from './chirp-platform.js';

/**
 * The claim of the adapter registry: a new chat platform is its own folder plus one row in the
 * table. Chirp (chirp-platform.ts) is defined in this test only; nothing else in the bot knows
 * it, yet its variables load, its mention markup works in `/outage subscribe`, and incidents reach
 * its rooms as threads.
 */

const platforms = [...PLATFORMS, chirpPlatform];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a third chat platform, registered in one row', () => {
  it('validates its variables with the rest, naming the one to fix', () => {
    const fragments = platformConfig(platforms);
    expect(() => loadConfig({ CHIRP_TOKEN: 'short' }, fragments)).toThrow(
      new ConfigError(
        'CHIRP_TOKEN',
        'is invalid: Too small: expected string to have >=12 characters (value not shown)',
        'chirp-0123456789',
      ),
    );
    expect(() => loadConfig({ CHIRP_TOKEN: 'chirp-0123456789' }, fragments)).toThrow(
      'Invalid configuration: CHIRP_API_URL is required with CHIRP_TOKEN',
    );
    expect(
      loadConfig(
        { CHIRP_TOKEN: 'chirp-0123456789', CHIRP_API_URL: 'https://chirp.example/api' },
        fragments,
      ),
    ).toMatchObject({
      CHIRP_API_URL: 'https://chirp.example/api',
      PORT: 3000,
      SLACK_API_URL: 'https://slack.com/api/',
    });
  });

  it('subscribes with its own mention markup and posts one thread per incident', async () => {
    const page = await startStatusServer({ name: 'Acme' });
    cleanups.push(() => page.close());
    page.setComponent('API', 'operational');
    const chirp = await startFakeChirp();
    cleanups.push(() => chirp.close());
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    const servicesFile = join(data.dir, 'services.json');
    await writeFile(
      servicesFile,
      JSON.stringify([
        { id: 'acme', name: 'Acme Cloud', sources: [{ kind: 'statuspage', url: page.url }] },
      ]),
    );
    const prefix = `test:${randomUUID()}:`;
    cleanups.push(() => deleteKeys(prefix));

    const config = loadConfig(
      {
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        DATA_DIR: data.dir,
        SERVICES_FILE: servicesFile,
        POLL_SCHEDULE: '* * * * * *',
        POLL_JITTER_MS: '0',
        POLL_TIMEOUT_MS: '1000',
        PORT: '0',
        CHIRP_TOKEN: 'chirp-0123456789',
        CHIRP_API_URL: chirp.url,
      },
      platformConfig(platforms),
    );
    const console: string[] = [];
    const app: App = await startApp({
      config,
      platforms,
      logger: pino({ level: 'silent' }),
      fetch: globalThis.fetch,
      now: () => new Date(),
      readFile: (path) => readFile(path, 'utf8'),
      writeOut: (text) => console.push(text),
      instanceId: 'third-platform-test',
    });
    cleanups.push(() => app.stop());
    const address = app.server?.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const command = async (text: string): Promise<Reply> => {
      const res = await fetch(`http://127.0.0.1:${port}/chirp/commands`, {
        method: 'POST',
        body: JSON.stringify({ room: 'ops', user: '@bob:example.org', text }),
      });
      return (await res.json()) as Reply;
    };

    const subscribed = await command('subscribe acme major @alice:example.org');
    expect(subscribed.text.split('\n')[0]).toBe(
      'This channel now follows Acme Cloud: major and critical incidents; pings user @alice:example.org on major and critical incidents.',
    );
    expect((await command('list')).items?.map((i) => i.label)).toEqual(['Acme Cloud']);
    expect((await command('subscribe acme @carol')).text).toContain(`I can't tell who "@carol" is`);

    await page.waitForRequests('summary', 2);
    const id = page.setIncident({
      name: 'Elevated API errors',
      impact: 'major',
      body: 'Investigating.',
      components: ['API'],
      componentStatus: 'partial_outage',
    });
    await vi.waitFor(() => expect(chirp.messages).toHaveLength(1), { timeout: 10_000 });
    page.resolveIncident(id, 'Fixed.');
    await vi.waitFor(() => expect(chirp.messages).toHaveLength(2), { timeout: 10_000 });
    // A few more polls: nothing is posted twice.
    await page.waitForRequests('summary', page.requestCount('summary') + 3);

    expect(chirp.messages).toEqual([
      {
        room: 'ops',
        id: 'm1',
        text: '@alice:example.org Acme Cloud: Elevated API errors (started)',
      },
      { room: 'ops', id: 'm2', text: 'Acme Cloud: Elevated API errors (resolved)', replyTo: 'm1' },
    ]);
    // A configured platform replaces the console.
    expect(console).toEqual([]);
  });
});
