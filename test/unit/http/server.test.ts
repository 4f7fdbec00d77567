import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/http/metrics.js';
import { startHttpServer } from '../../../src/http/server.js';

const TOKEN = 'a-webhook-token-of-some-length';

describe('the HTTP server', () => {
  let server: Server | undefined;
  const triggered: string[] = [];
  afterEach(async () => {
    triggered.length = 0;
    await new Promise((resolve) => server?.close(resolve));
  });

  async function start(ready = true, logger: Logger = pino({ level: 'silent' })): Promise<string> {
    server = await startHttpServer({
      port: 0,
      logger,
      metrics: createMetrics(),
      ready: async () => ready,
      routes: [
        {
          method: 'POST',
          path: '/slack/events',
          handle: (_req, res) => {
            res.writeHead(200).end('slack');
          },
        },
      ],
      webhookToken: TOKEN,
      triggerPoll: (id) => {
        if (id === 'boom') throw new Error('the scheduler is gone');
        triggered.push(id);
        return id === 'github';
      },
    });
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  it('answers health, readiness and metrics', async () => {
    const base = await start();
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('outage_bot_polls_total');
    expect(metrics).toContain('outage_bot_deliveries_total');
  });

  it('is not ready while the store does not answer', async () => {
    const base = await start(false);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('not ready\n');
  });

  it('hands adapter routes their requests', async () => {
    const base = await start();
    expect(await (await fetch(`${base}/slack/events`, { method: 'POST' })).text()).toBe('slack');
  });

  it('triggers a poll from a webhook only with the right token', async () => {
    const base = await start();
    expect((await fetch(`${base}/webhooks/github`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${base}/webhooks/github?token=wrong`, { method: 'POST' })).status).toBe(
      401,
    );
    expect(triggered).toEqual([]);
    const ok = await fetch(`${base}/webhooks/github?token=${TOKEN}`, {
      method: 'POST',
      body: '{}',
    });
    expect(ok.status).toBe(202);
    const unknown = await fetch(`${base}/webhooks/nope?token=${TOKEN}`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(triggered).toEqual(['github', 'nope']);
  });

  it('accepts the token as an Authorization: Bearer header', async () => {
    const base = await start();
    const post = (authorization: string) =>
      fetch(`${base}/webhooks/github`, { method: 'POST', headers: { authorization } });
    expect((await post('Bearer wrong-token-of-some-length')).status).toBe(401);
    expect((await post(`Basic ${TOKEN}`)).status).toBe(401);
    expect(triggered).toEqual([]);
    expect((await post(`Bearer ${TOKEN}`)).status).toBe(202);
    expect(triggered).toEqual(['github']);
  });

  it('logs webhook requests and failures with neither form of the token', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      }),
    );
    const base = await start(true, logger);
    const wrong = 'wrong-token-of-some-length';
    const statuses = [];
    for (const [path, headers] of [
      [`/webhooks/github?token=${TOKEN}`, {}],
      ['/webhooks/github', { authorization: `Bearer ${TOKEN}` }],
      [`/webhooks/github?token=${wrong}`, {}],
      ['/webhooks/github', { authorization: `Bearer ${wrong}` }],
      [`/webhooks/boom?token=${TOKEN}`, {}],
      ['/webhooks/boom', { authorization: `Bearer ${TOKEN}` }],
    ] as const) {
      statuses.push((await fetch(`${base}${path}`, { method: 'POST', headers })).status);
    }
    expect(statuses).toEqual([202, 202, 401, 401, 500, 500]);
    const logged = lines.map((l) => JSON.parse(l));
    expect(
      logged.map(({ msg, path, credential, status }) => ({ msg, path, credential, status })),
    ).toEqual([
      { msg: 'webhook', path: '/webhooks/github', credential: 'query', status: 202 },
      { msg: 'webhook', path: '/webhooks/github', credential: 'header', status: 202 },
      { msg: 'webhook refused', path: '/webhooks/github', credential: 'query', status: 401 },
      { msg: 'webhook refused', path: '/webhooks/github', credential: 'header', status: 401 },
      {
        msg: 'http handler failed',
        path: '/webhooks/boom',
        credential: undefined,
        status: undefined,
      },
      {
        msg: 'http handler failed',
        path: '/webhooks/boom',
        credential: undefined,
        status: undefined,
      },
    ]);
    const all = lines.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(wrong);
    expect(all).not.toMatch(/bearer|token=/i);
  });

  it('answers 404 elsewhere', async () => {
    const base = await start();
    expect((await fetch(`${base}/admin`)).status).toBe(404);
    expect((await fetch(`${base}/webhooks/../etc`, { method: 'POST' })).status).toBe(404);
  });
});
