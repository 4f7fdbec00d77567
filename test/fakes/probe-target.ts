import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A service's own front door, for probes: answers with a status and a body, or stops accepting
 * connections altogether (the port closes, as when a provider's edge is gone), then comes back
 * on the same port. Counts the requests it answered.
 */
export interface ProbeTarget {
  url: string;
  requests: number;
  answer(status: number, body?: string): void;
  /** Close the port: connections are refused until `restore()`. */
  refuse(): Promise<void>;
  restore(): Promise<void>;
  /** Accept connections but never answer. */
  hang(): void;
  close(): Promise<void>;
}

export async function startProbeTarget(): Promise<ProbeTarget> {
  let status = 200;
  let body = '<html><title>up</title></html>';
  let hanging = false;
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();
  const target: ProbeTarget = {
    url: '',
    requests: 0,
    answer(s, b = body) {
      status = s;
      body = b;
      hanging = false;
    },
    refuse: () => stop(),
    restore: () => listen(port),
    hang() {
      hanging = true;
    },
    close: () => stop(),
  };
  let server: Server | undefined;
  let port = 0;
  const listen = (onPort: number) =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((_req, res) => {
        if (hanging) {
          held.add(res);
          return;
        }
        target.requests += 1;
        res.writeHead(status, { 'content-type': 'text/html' }).end(body);
      });
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      s.once('error', reject);
      s.listen(onPort, '127.0.0.1', () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const res of held) res.destroy();
      held.clear();
      for (const socket of sockets) socket.destroy();
      if (!server) return resolve();
      const s = server;
      server = undefined;
      s.close(() => resolve());
    });
  await listen(0);
  target.url = `http://localhost:${port}/`;
  return target;
}
