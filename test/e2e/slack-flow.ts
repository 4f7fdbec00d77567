import { expect } from 'vitest';
import { type ApiCall, FakeSlack } from '../fakes/slack/fake-slack.js';
import { postSlashCommand, slashCommandFields } from '../fakes/slack/signer.js';
import type { StatusServer } from '../fakes/status-server.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { acmeService, type E2eScope, openApiIncident } from '../helpers/e2e-env.js';

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

/** The fake Slack, with ADMIN a workspace admin (allowed to manage subscriptions). */
export async function startSlack(scope: E2eScope): Promise<FakeSlack> {
  const slack = scope.track(await FakeSlack.start());
  slack.workspace.setUser(ADMIN, { is_admin: true });
  return slack;
}

/**
 * The fake Slack, the Acme page and the bot on both, in HTTP or Socket Mode (`extra`: more
 * settings, e.g. another platform's). The bot is started, not yet up.
 */
export async function startSlackFlow(
  scope: E2eScope,
  mode: 'http' | 'socket',
  extra: Record<string, string> = {},
): Promise<{ slack: FakeSlack; page: StatusServer; env: Record<string, string>; bot: BotProcess }> {
  const slack = await startSlack(scope);
  const page = await scope.startAcmePage();
  const env = await scope.botEnv({
    services: [acmeService(page)],
    extra: {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      MANAGE_POLICY: 'managers',
      ...(mode === 'http'
        ? { SLACK_SIGNING_SECRET: SIGNING_SECRET }
        : { SLACK_APP_TOKEN: slack.appToken }),
      ...extra,
    },
  });
  return { slack, page, env, bot: scope.startBot(env) };
}

/** The bot's Slack endpoint in HTTP mode. */
export const eventsUrl = (env: Record<string, string>): string =>
  `http://127.0.0.1:${env.PORT}/slack/events`;

/** `/outage <text>` as ADMIN types it, with a fresh response_url. */
export const adminCommand = (slack: FakeSlack, text: string): Record<string, string> =>
  slashCommandFields({ text, userId: ADMIN, responseUrl: slack.responseUrl() });

/** `/outage <text>` from ADMIN, signed, posted to the bot in HTTP mode. */
export const postAdminCommand = (
  slack: FakeSlack,
  env: Record<string, string>,
  text: string,
): Promise<Response> =>
  postSlashCommand({
    url: eventsUrl(env),
    signingSecret: SIGNING_SECRET,
    fields: adminCommand(slack, text),
  });

/** `/outage <text>` from `userId`, signed, in HTTP mode: the private answer that user sees. */
export async function commandAs(
  slack: FakeSlack,
  env: Record<string, string>,
  userId: string,
  text: string,
): Promise<string> {
  const res = await postSlashCommand({
    url: eventsUrl(env),
    signingSecret: SIGNING_SECRET,
    fields: slashCommandFields({ text, userId, responseUrl: slack.responseUrl() }),
  });
  expect(res.status).toBe(200);
  const ack = (await res.json()) as { response_type: string; text: string };
  expect(ack.response_type).toBe('ephemeral');
  return ack.text;
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
  scope: E2eScope;
  firstBot: BotProcess;
  /** Called after the restart, once the bot is up again (Socket Mode waits for its hello). */
  afterRestart?: (bot: BotProcess) => Promise<void>;
}): Promise<void> {
  const { slack, page } = opts;
  let bot = opts.firstBot;
  // The subscription makes the service polled; two polls in, the baseline is recorded.
  await page.waitForRequests('summary', 2, 15_000);
  const id = openApiIncident(page, `Elevated API errors ${EVIL}`, `We are investigating. ${EVIL}`);
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
  // record leaves the thread leased by the dead process until the outbox lease expires (20 s;
  // slack-crash-mid-send.test.ts covers that window).
  await bot.waitFor(
    () => bot.logs().some((l) => l.msg === 'delivered' && l.event === 'updated'),
    'the update recorded as delivered',
  );

  await bot.kill('SIGKILL');
  page.resolveIncident(id, 'Error rates are back to normal.');
  bot = opts.scope.startBot(opts.env);
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

  // Untrusted text arrived escaped: no mention token, no bare broadcast word. The body's HTML was
  // stripped by the source; the title's `<b>` is the page's literal text, shown as such.
  for (const call of [...roots, ...replies, ...edits]) {
    const sent = JSON.stringify({ text: call.args.text, blocks: call.args.blocks });
    expect(sent).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U123>/);
    expect(sent).not.toMatch(/@(here|channel|everyone)/);
  }
  expect(shown(root)).toContain('&lt;!channel&gt;');
  expect(root?.args.text).toContain(
    'Elevated API errors &lt;!channel&gt; @\u2060here &lt;@U123&gt; &lt;b&gt;now&lt;/b&gt;',
  );
  expect(shown(root)).toContain(
    'We are investigating. &lt;!channel&gt; @\u2060here &lt;@U123&gt; now',
  );
}
