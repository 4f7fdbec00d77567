import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort } from 'node:worker_threads';

/**
 * Worker-thread entry: Statuspage summary.json and incidents.json for any number of pages
 * (`/<page>/api/v2/...`), the bytes of the real GitHub fixtures, so the client parses bodies of
 * real size and shape. Off the main thread, so serving does not eat the pipeline's CPU time.
 * Messages: `{ etag: boolean }` switches validators on (a matching If-None-Match gets 304) or
 * off (every answer a full 200 without validators); the answer counts the requests and the 304s so far.
 */

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/statuspage/${name}`, import.meta.url));
const BODIES: Record<string, Buffer> = {
  '/api/v2/summary.json': fixture('github-summary-all-operational-2024-02-05.json'),
  '/api/v2/incidents.json': fixture('github-incidents-2024-09-16.json'),
};
/** Pages named `*-open` show an open incident and maintenances (the docs' example summary). */
const OPEN_SUMMARY = fixture('docs-example-summary-incident-and-maintenances.json');
const ETAG = '"bench-v1"';

let etag = false;
let requests = 0;
let notModified = 0;

const server = createServer((req, res) => {
  requests += 1;
  const url = req.url ?? '/';
  const path = url.slice(url.indexOf('/', 1));
  const open = url.slice(0, url.indexOf('/', 1)).endsWith('-open');
  const body = open && path === '/api/v2/summary.json' ? OPEN_SUMMARY : BODIES[path];
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  if (etag && req.headers['if-none-match'] === ETAG) {
    notModified += 1;
    res.writeHead(304, { etag: ETAG }).end();
    return;
  }
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
  };
  if (etag) headers.etag = ETAG;
  res.writeHead(200, headers).end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  parentPort?.postMessage({ port: (server.address() as AddressInfo).port });
});
parentPort?.on('message', (message: { etag?: boolean; close?: boolean }) => {
  if (message.close) {
    server.closeAllConnections();
    server.close(() => process.exit(0));
    return;
  }
  if (message.etag !== undefined) etag = message.etag;
  parentPort?.postMessage({ requests, notModified });
});
