import type { IncomingMessage, ServerResponse } from 'node:http';

/** The broken answers the fake status page can give on demand (see status-server.ts). */

export type FailureMode =
  | 'hang'
  | 'error500'
  | 'status'
  | 'html'
  | 'huge'
  | 'huge_declared'
  | 'truncated'
  | 'slow'
  | 'delay'
  | 'redirect_loop'
  | 'reset';

export interface FailureOptions {
  status?: number;
  retryAfter?: string;
  delayMs?: number;
  bytes?: number;
  /** Fail only the next N requests, then answer normally again. */
  times?: number;
}

export interface FailureContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The endpoint's real JSON, for the modes that send (part of) it. */
  body: () => string;
  serveNormally: () => void;
  /** setTimeout that the server clears on close. */
  later: (ms: number, fn: () => void) => void;
  /** The request's own path, for the redirect loop. */
  path: string;
}

const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>Bad Gateway</h1><p>The server returned an invalid response.</p></body></html>\n';

function streamHuge(res: ServerResponse, bytes: number, declared: boolean): void {
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(declared ? { 'content-length': String(bytes) } : {}),
  });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const head = Buffer.from('{"page":{"id":"x"},"padding":"');
  let sent = 0;
  const pump = () => {
    while (sent < bytes && !res.destroyed) {
      const source = sent === 0 ? head : chunk;
      const piece = source.subarray(0, Math.min(source.length, bytes - sent));
      sent += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** Answers one request the broken way `mode` names. */
export function serveFailure(mode: FailureMode, o: FailureOptions, ctx: FailureContext): void {
  const { req, res } = ctx;
  switch (mode) {
    case 'hang':
      return;
    case 'reset':
      req.socket.destroy();
      return;
    case 'error500':
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      return;
    case 'status':
      res
        .writeHead(o.status ?? 503, {
          'content-type': 'text/plain',
          ...(o.retryAfter ? { 'retry-after': o.retryAfter } : {}),
        })
        .end(`status ${o.status ?? 503}`);
      return;
    case 'html':
      res.writeHead(o.status ?? 200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML_PAGE);
      return;
    case 'huge':
    case 'huge_declared':
      streamHuge(res, o.bytes ?? 20 * 1024 * 1024, mode === 'huge_declared');
      return;
    case 'truncated': {
      const body = ctx.body();
      const cut = body.slice(0, Math.floor(body.length / 2));
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(cut)),
        })
        .end(cut);
      return;
    }
    case 'slow': {
      const body = Buffer.from(ctx.body());
      const half = Math.floor(body.length / 2);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(body.length),
      });
      res.write(body.subarray(0, half));
      ctx.later(o.delayMs ?? 30_000, () => res.destroyed || res.end(body.subarray(half)));
      return;
    }
    case 'delay':
      ctx.later(o.delayMs ?? 30_000, () => res.destroyed || ctx.serveNormally());
      return;
    case 'redirect_loop':
      res.writeHead(302, { location: ctx.path }).end();
      return;
  }
}
