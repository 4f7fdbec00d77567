import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { mentionSyntaxes, PLATFORMS } from '../../../adapters/registry.js';
import { createSlackAdapter, type SlackTuning } from '../../../adapters/slack/slack-adapter.js';
import type { CommandServices } from '../../../commands/command.js';
import { COMMANDS } from '../../../commands/registry.js';
import { type ChatAdapter, DeliveryError } from '../../../src/delivery/chat-adapter.js';
import type { Delivery, ThreadRef } from '../../../src/incidents/subscription.js';
import { BUILTIN_SERVICES } from '../../../src/sources/catalog-data.js';
import { MemoryCatalog } from '../../../src/sources/memory-catalog.js';
import { FakeSlack, type FakeSlackOptions } from '../../fakes/slack/fake-slack.js';
import { createTestStore, type StoreKind, type TestStore } from '../../helpers/stores.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Fast retries so tests spend their time on Retry-After and pacing, not on backoff. */
export const FAST: Partial<SlackTuning> = {
  postIntervalMs: 50,
  requestTimeoutMs: 2_000,
  apiRetry: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 10 },
  socketRetry: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 10 },
  socketConnectTimeoutMs: 5_000,
};

export interface HarnessOptions {
  socket?: boolean;
  tuning?: Partial<SlackTuning>;
  managers?: string[];
  fake?: FakeSlackOptions;
  services?: Partial<CommandServices>;
  /** The store behind the commands (and a worker, if the test runs one). Default embedded. */
  store?: StoreKind;
}

export interface Harness {
  slack: FakeSlack;
  adapter: ChatAdapter;
  store: TestStore;
  services: CommandServices;
  /** The bot's /slack/events URL (HTTP mode). */
  eventsUrl: string;
  close(): Promise<void>;
}

/** The real adapter (Bolt, web-api) against the fake Slack, its routes on a local server. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = await FakeSlack.start({ channelLimit: false, ...options.fake });
  slack.workspace.setUser('U0ADMIN', { is_admin: true });
  slack.workspace.setUser('U0MEMBER');
  const store = await createTestStore(options.store ?? 'embedded');
  const services: CommandServices = {
    store: store.store,
    catalog: new MemoryCatalog([...BUILTIN_SERVICES]),
    now: () => new Date(),
    managePolicy: 'managers',
    mentionSyntaxes: mentionSyntaxes(PLATFORMS),
    ...options.services,
  };
  const adapter = createSlackAdapter({
    botToken: slack.botToken,
    signingSecret: SIGNING_SECRET,
    ...(options.socket ? { appToken: slack.appToken } : {}),
    apiUrl: slack.apiUrl,
    logger: pino({ level: 'silent' }),
    commands: COMMANDS,
    services,
    managers: options.managers ?? [],
    tuning: { ...FAST, ...options.tuning },
  });
  const server: Server = createServer((req, res) => {
    const route = adapter.routes?.find((r) => r.method === req.method && r.path === req.url);
    if (route) void route.handle(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await adapter.start();
  const port = (server.address() as AddressInfo).port;
  return {
    slack,
    adapter,
    store,
    services,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    async close() {
      await adapter.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await slack.close();
      await store.cleanup();
    },
  };
}

/**
 * Delivers each thread's deliveries in order, threads side by side, retrying the way the outbox
 * worker does: transient and rate-limited failures again later with possiblySent set.
 */
export async function deliverLikeTheWorker(
  adapter: ChatAdapter,
  threads: Delivery[][],
  maxAttempts = 12,
): Promise<ThreadRef[]> {
  return Promise.all(
    threads.map(async (deliveries) => {
      let ref: ThreadRef | undefined;
      for (const delivery of deliveries) {
        for (let attempt = 0; ; attempt += 1) {
          try {
            const got = await adapter.deliver({ delivery, thread: ref, possiblySent: attempt > 0 });
            ref ??= got;
            break;
          } catch (err) {
            const retryable =
              err instanceof DeliveryError &&
              (err.kind === 'transient' || err.kind === 'rate_limited');
            if (!retryable || attempt + 1 >= maxAttempts) throw err;
            await new Promise((r) => setTimeout(r, Math.min(err.retryAfterMs ?? 20, 2_000)));
          }
        }
      }
      if (!ref) throw new Error('no thread was opened');
      return ref;
    }),
  );
}
