import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';
import {
  allDelivered,
  everyChannelAt,
  expectEachChannelOnce,
  RESOLUTION,
  startFanout,
  UPDATES,
  viewOf,
  waitUntil,
} from './fanout-fixture.js';

/**
 * Issue 9, done-when 6: the real bot runs one incident (start, two updates, resolution) to
 * channels on both fakes, and its /metrics then tells an operator what happened: polls, events,
 * deliveries, a failure and its retry, the outbox drained, and how long after the status page's
 * own times the messages went out. The dashboard and alert rules in deploy/ name only series
 * this output has.
 */

const scope = e2eScope();
const CHANNELS = 3;

type Sample = { labels: Record<string, string>; value: number };

/** The Prometheus text format, read into samples by metric name. */
function parseExposition(text: string): {
  types: Map<string, string>;
  samples: Map<string, Sample[]>;
} {
  const types = new Map<string, string>();
  const samples = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1] as string, type[2] as string);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const m of (sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1] as string] = m[2] as string;
    }
    const name = sample[1] as string;
    samples.set(name, [...(samples.get(name) ?? []), { labels, value: Number(sample[3]) }]);
  }
  return { types, samples };
}

async function readMetrics(port: string) {
  return parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
}

/** The sum of `name`'s samples whose labels include `where`. */
function total(samples: Map<string, Sample[]>, name: string, where: Record<string, string> = {}) {
  return (samples.get(name) ?? [])
    .filter((s) => Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Every `outage_bot_*` name a PromQL expression in deploy/ uses. */
function namesUsedInDeploy(): Set<string> {
  const exprs: string[] = [];
  const dashboard = JSON.parse(readFileSync('deploy/grafana-dashboard.json', 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  for (const panel of dashboard.panels) for (const t of panel.targets ?? []) exprs.push(t.expr);
  const rules = parse(readFileSync('deploy/prometheus-alerts.yml', 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  for (const group of rules.groups) for (const rule of group.rules) exprs.push(rule.expr);
  expect(exprs.length).toBeGreaterThan(5);
  return new Set(exprs.flatMap((e) => e.match(/\boutage_bot_\w+/g) ?? []));
}

/** A name as the exposition has it: a histogram's series carry `_bucket`, `_sum` and `_count`. */
function exposedNames(types: Map<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of types) {
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
  }
  return names;
}

describe('/metrics after an incident on both platforms', () => {
  it('counts the polls, events, deliveries, the failure and its retry, and the outbox', async () => {
    const fan = await startFanout(scope, { store: 'redis', channelsPerPlatform: CHANNELS });
    const { page, env, slack } = fan;
    // One Slack start message fails once with a 500: one failure, one retry, then it goes out.
    slack.fail({ method: 'chat.postMessage', status: 500, times: 1 });
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started', 30_000);
    await page.waitForRequests('summary', 2, 15_000);

    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    const key = `acme:${id}`;
    const stage = (n: number) => () => everyChannelAt(viewOf(fan, key), n);
    await waitUntil(stage(1), 'every start', 60_000);
    for (const [i, update] of UPDATES.entries()) {
      page.setIncident({ id, ...update });
      await waitUntil(stage(i + 2), `update ${i + 1}`, 60_000);
    }
    page.resolveIncident(id, RESOLUTION);
    await waitUntil(() => allDelivered(viewOf(fan, key)), 'every message', 60_000);
    await page.waitForRequests('summary', page.requestCount('summary') + 2, 15_000);
    expectEachChannelOnce(fan, key);

    const { samples } = await readMetrics(env.PORT as string);
    const messages = (platform: 'slack' | 'discord') =>
      [...viewOf(fan, key)[platform].values()].reduce(
        (n, v) => n + v.roots.length + v.replies.length,
        0,
      );
    const stages = 2 + UPDATES.length;
    expect(messages('slack')).toBe(CHANNELS * stages);
    for (const platform of ['slack', 'discord'] as const) {
      const sent = { platform, result: 'sent' };
      expect(total(samples, 'outage_bot_deliveries_total', sent)).toBe(messages(platform));
      // Every message's delay from the page's own time of what it says was observed.
      expect(total(samples, 'outage_bot_update_to_delivery_seconds_count', { platform })).toBe(
        messages(platform),
      );
      const sum = total(samples, 'outage_bot_update_to_delivery_seconds_sum', { platform });
      expect(sum).toBeGreaterThan(0);
      expect(sum / messages(platform)).toBeLessThan(600);
    }
    expect(total(samples, 'outage_bot_delivery_failures_total', { platform: 'slack' })).toBe(1);
    expect(
      total(samples, 'outage_bot_delivery_failures_total', {
        platform: 'slack',
        kind: 'transient',
      }),
    ).toBe(1);
    expect(
      total(samples, 'outage_bot_delivery_retries_total', {
        platform: 'slack',
        reason: 'transient',
      }),
    ).toBe(1);
    expect(total(samples, 'outage_bot_delivery_failures_total', { platform: 'discord' })).toBe(0);

    expect(total(samples, 'outage_bot_incident_events_total', { type: 'started' })).toBe(1);
    expect(total(samples, 'outage_bot_incident_events_total', { type: 'updated' })).toBe(2);
    expect(total(samples, 'outage_bot_incident_events_total', { type: 'resolved' })).toBe(1);

    const polls = total(samples, 'outage_bot_polls_total', { kind: 'statuspage', result: 'ok' });
    expect(polls).toBeGreaterThanOrEqual(4);
    expect(total(samples, 'outage_bot_poll_duration_seconds_count', { kind: 'statuspage' })).toBe(
      total(samples, 'outage_bot_polls_total', { kind: 'statuspage' }),
    );
    expect(total(samples, 'outage_bot_source_up', { kind: 'statuspage' })).toBe(1);
    expect(total(samples, 'outage_bot_poll_failures_total')).toBe(0);
    // Drained: nothing waits, and so nothing is old.
    expect(total(samples, 'outage_bot_outbox_pending')).toBe(0);
    expect(total(samples, 'outage_bot_outbox_oldest_age_seconds')).toBe(0);
  }, 180_000);

  it('has every series the dashboard and the alert rules in deploy/ use', async () => {
    const page = await scope.startAcmePage();
    const env = await scope.botEnv({
      store: 'redis',
      services: [acmeService(page)],
      watch: true,
    });
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started', 30_000);
    const { types } = await readMetrics(env.PORT as string);
    const exposed = exposedNames(types);
    const used = namesUsedInDeploy();
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
    // The alerts cover what an operator is paged for.
    const alerts = (
      parse(readFileSync('deploy/prometheus-alerts.yml', 'utf8')) as {
        groups: { rules: { alert: string }[] }[];
      }
    ).groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts).toEqual(
      expect.arrayContaining([
        'OutageBotSourceDown',
        'OutageBotDeliveriesFailing',
        'OutageBotOutboxGrowing',
        'OutageBotOutboxOldestItemOld',
        'OutageBotNotReady',
      ]),
    );
  }, 60_000);
});
