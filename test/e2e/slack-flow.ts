import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ApiCall, FakeSlack } from '../fakes/slack/fake-slack.js';
import type { StatusServer } from '../fakes/status-server.js';
import { BotProcess, freePort, tempDataDir } from '../helpers/bot-process.js';

/**
 * The Slack end-to-end flow shared by the HTTP and Socket Mode tests: the real bot process
 * (dist/src/main.js) against the fake Slack and a fake Statuspage, one incident walked through
 * investigating, identified and resolved, with a SIGKILL between "identified" and "resolved".
 */

export const SIGNING_SECRET = 'e2e-signing-secret-0123456789';
export const ADMIN = 'U0ADMIN';
export const CHANNEL = 'C0GENERAL';
/** Untrusted text a status page might carry: none of it may ping anyone. */
export const EVIL = '<!channel> @here <@U123> <b>now</b>';

export type Cleanup = () => Promise<void> | void;

export async function botEnv(
  slack: FakeSlack,
  page: StatusServer,
  mode: 'http' | 'socket',
  cleanups: Cleanup[],
): Promise<Record<string, string>> {
  const data = tempDataDir();
  cleanups.push(data.cleanup);
  const servicesFile = join(data.dir, 'services.json');
  writeFileSync(
    servicesFile,
    JSON.stringify([
      { id: 'acme', name: 'Acme Cloud', sources: [{ kind: 'statuspage', url: page.url }] },
    ]),
  );
  return {
    DATA_DIR: data.dir,
    SERVICES_FILE: servicesFile,
    POLL_SCHEDULE: '* * * * * *',
    POLL_JITTER_MS: '0',
    POLL_TIMEOUT_MS: '1000',
    PORT: String(await freePort()),
    LOG_LEVEL: 'debug',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_API_URL: slack.apiUrl,
    MANAGE_POLICY: 'managers',
    ...(mode === 'http'
      ? { SLACK_SIGNING_SECRET: SIGNING_SECRET }
      : { SLACK_APP_TOKEN: slack.appToken }),
  };
}

export function startBot(env: Record<string, string>, cleanups: Cleanup[]): BotProcess {
  const bot = new BotProcess(env).start();
  cleanups.push(async () => {
    if (bot.running) await bot.kill();
  });
  return bot;
}

const threadKeyOf = (call: ApiCall): string | undefined => {
  const meta = call.args.metadata as { event_payload?: { thread_key?: string } } | undefined;
  return meta?.event_payload?.thread_key;
};

/** What Slack accepted for one incident thread. */
export function threadCalls(slack: FakeSlack, threadKey: string) {
  const posts = slack.accepted('chat.postMessage').filter((c) => threadKeyOf(c) === threadKey);
  const roots = posts.filter((c) => c.args.thread_ts === undefined);
  const replies = posts.filter((c) => c.args.thread_ts !== undefined);
  return { posts, roots, replies };
}

/** The text a reader sees in a posted message (its blocks, as JSON). */
export const shown = (call: ApiCall | undefined): string => JSON.stringify(call?.args.blocks ?? '');

/**
 * Drives the incident and checks, across a SIGKILL and restart, that Slack got exactly one root,
 * the update once as a reply in its thread, one resolution reply and one edit of the root.
 */
export async function walkIncident(opts: {
  slack: FakeSlack;
  page: StatusServer;
  env: Record<string, string>;
  cleanups: Cleanup[];
  firstBot: BotProcess;
  /** Called after the restart, once the bot is up again (Socket Mode waits for its hello). */
  afterRestart?: (bot: BotProcess) => Promise<void>;
}): Promise<void> {
  const { slack, page } = opts;
  let bot = opts.firstBot;
  // The subscription makes the service polled; two polls in, the baseline is recorded.
  await page.waitForRequests('summary', 2, 15_000);
  const id = page.setIncident({
    name: `Elevated API errors ${EVIL}`,
    impact: 'major',
    body: `We are investigating. ${EVIL}`,
    components: ['API'],
    componentStatus: 'partial_outage',
  });
  const key = `acme:${id}`;
  await slack.waitFor(() => threadCalls(slack, key).roots.length === 1, 'the root', 20_000);
  const root = threadCalls(slack, key).roots[0];
  const rootTs = slack.workspace.channels
    .get(CHANNEL)
    ?.messages.find(
      (m) => (m.metadata?.event_payload as { thread_key?: string })?.thread_key === key,
    )?.ts;
  expect(rootTs).toBeDefined();
  expect(shown(root)).toContain('Acme Cloud');
  expect(shown(root)).toContain('<!date^');

  page.setIncident({ id, status: 'identified', body: 'A bad deploy was found; rolling back.' });
  await slack.waitFor(() => threadCalls(slack, key).replies.length === 1, 'the update', 20_000);
  // Killed once the update is recorded as delivered: a kill between Slack's answer and that
  // record leaves the thread leased by the dead process until the outbox lease expires (60 s).
  await bot.waitFor(
    () => bot.logs().some((l) => l.msg === 'delivered' && l.event === 'updated'),
    'the update recorded as delivered',
  );

  await bot.kill('SIGKILL');
  page.resolveIncident(id, 'Error rates are back to normal.');
  bot = startBot(opts.env, opts.cleanups);
  await bot.waitForLog('outage-bot started');
  if (opts.afterRestart) await opts.afterRestart(bot);
  await slack.waitFor(
    () => slack.accepted('chat.update').some((c) => c.args.ts === rootTs),
    'the edit of the root',
    30_000,
  );
  // A few more polls: nothing may be repeated.
  const polled = page.requestCount('summary');
  await page.waitForRequests('summary', polled + 3, 15_000);

  const { roots, replies } = threadCalls(slack, key);
  expect(roots).toHaveLength(1);
  expect(replies.map((r) => r.args.thread_ts)).toEqual([rootTs, rootTs]);
  expect(shown(replies[0])).toContain('rolling back');
  expect(shown(replies[1])).toContain('Resolved');
  expect(shown(replies[1])).toContain('back to normal');
  const edits = slack.accepted('chat.update').filter((c) => c.args.ts === rootTs);
  expect(edits).toHaveLength(1);
  expect(shown(edits[0])).toMatch(/Resolved · Acme Cloud/);
  expect(shown(edits[0])).toMatch(/Duration/);

  // Untrusted text arrived escaped: no mention token, no bare broadcast word, no HTML.
  for (const call of [...roots, ...replies, ...edits]) {
    const sent = JSON.stringify({ text: call.args.text, blocks: call.args.blocks });
    expect(sent).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U123>|<b>/);
    expect(sent).not.toMatch(/@(here|channel|everyone)/);
  }
  expect(shown(root)).toContain('&lt;!channel&gt;');
}
