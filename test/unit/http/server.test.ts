import type { Server } from 'node:http';
import { pino } from 'pino';
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

  async function start(ready = true): Promise<string> {
    server = await startHttpServer({
      port: 0,
      logger: pino({ level: 'silent' }),
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

  it('answers 404 elsewhere', async () => {
    const base = await start();
    expect((await fetch(`${base}/admin`)).status).toBe(404);
    expect((await fetch(`${base}/webhooks/../etc`, { method: 'POST' })).status).toBe(404);
  });
});
