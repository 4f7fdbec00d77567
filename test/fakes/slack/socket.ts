import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Milliseconds between sending the envelope and receiving its ack. */
  latencyMs: number;
}

/**
 * Slack's Socket Mode side: `apps.connections.open` hands out `ws://…/link/?ticket=…`, this
 * accepts the upgrade, sends `hello` at once (Bolt's app.start() waits for it), pushes envelopes
 * to the bot and collects the acks it sends back.
 */
export class FakeSocketMode {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sentAt = new Map<string, number>();
  readonly connections: WebSocket[] = [];
  readonly acks: SocketAck[] = [];
  readonly hellos: number[] = [];
  private waiters: Array<() => void> = [];

  constructor(private readonly appId: string) {}

  /** Called by apps.connections.open: a fresh single-use ticket. */
  openTicket(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return ticket;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    this.connections.push(ws);
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('close', () => {
      const i = this.connections.indexOf(ws);
      if (i >= 0) this.connections.splice(i, 1);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.length,
        connection_info: { app_id: this.appId },
        debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
      }),
    );
    this.hellos.push(Date.now());
    this.notify();
  }

  private onMessage(text: string): void {
    let frame: { envelope_id?: unknown; payload?: Record<string, unknown> };
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof frame.envelope_id !== 'string') return;
    const sent = this.sentAt.get(frame.envelope_id) ?? Date.now();
    this.acks.push({
      envelope_id: frame.envelope_id,
      ...(frame.payload ? { payload: frame.payload } : {}),
      latencyMs: Date.now() - sent,
    });
    this.notify();
  }

  /** Sends an envelope to the newest connection; returns its envelope id. */
  send(type: string, payload: Record<string, unknown>): string {
    const ws = this.connections.at(-1);
    if (!ws) throw new Error('no Socket Mode connection is open');
    const envelope_id = randomUUID();
    this.sentAt.set(envelope_id, Date.now());
    ws.send(JSON.stringify({ envelope_id, type, accepts_response_payload: true, payload }));
    return envelope_id;
  }

  /** Sends a slash command and resolves with the bot's ack frame. */
  async slashCommand(payload: Record<string, string>, timeoutMs = 5_000): Promise<SocketAck> {
    const id = this.send('slash_commands', payload);
    await this.until(() => this.acks.some((a) => a.envelope_id === id), timeoutMs);
    return this.acks.find((a) => a.envelope_id === id) as SocketAck;
  }

  /** Sends any envelope (an `interactive` button press, say) and resolves with its ack frame. */
  async deliver(type: string, payload: Record<string, unknown>, timeoutMs = 5_000) {
    const id = this.send(type, payload);
    await this.until(() => this.acks.some((a) => a.envelope_id === id), timeoutMs);
    return this.acks.find((a) => a.envelope_id === id) as SocketAck;
  }

  /** Asks the client to reconnect, as Slack does before rotating a connection. */
  disconnect(reason = 'refresh_requested'): void {
    for (const ws of this.connections) ws.send(JSON.stringify({ type: 'disconnect', reason }));
  }

  async waitForConnection(timeoutMs = 5_000): Promise<void> {
    await this.until(() => this.connections.length > 0, timeoutMs);
  }

  async close(): Promise<void> {
    for (const ws of this.connections) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async until(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for Socket Mode');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
