/**
 * The fake's gateway: a `ws` WebSocketServer speaking Discord's JSON protocol (no compression).
 * HELLO on connect; IDENTIFY (token checked, 4004 otherwise) -> READY (guilds unavailable) then
 * one GUILD_CREATE per guild; heartbeats ACKed; RESUME of a known session replays what was missed
 * and sends RESUMED (an unknown one gets op 9). Tests dispatch events with `dispatch()` and force
 * reconnects with `requestReconnect()` (op 7) or `dropConnections()`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** READY's `d`, minus session fields the gateway fills in. */
  readyData(): Record<string, unknown>;
  /** One GUILD_CREATE payload per guild listed in READY. */
  guildCreates(): Record<string, unknown>[];
  resumeUrl(): string;
}

interface Session {
  id: string;
  seq: number;
  /** Every dispatch of the session, for replay on RESUME. */
  events: { op: 0; t: string; s: number; d: unknown }[];
  socket?: WebSocket;
}

export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
  heartbeats: number;
}

export class FakeGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private sessionCounter = 0;
  readonly stats: GatewayStats = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0 };
  /** Intents the last IDENTIFY asked for. */
  lastIntents: number | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!(req.url ?? '').startsWith('/gateway')) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** Sessions whose socket is open and identified or resumed. */
  get liveSessions(): number {
    return [...this.sessions.values()].filter((s) => s.socket?.readyState === WebSocket.OPEN)
      .length;
  }

  dispatch(t: string, d: unknown): void {
    for (const session of this.sessions.values()) this.push(session, t, d);
  }

  /** Op 7: the client should reconnect and resume. */
  requestReconnect(): void {
    for (const s of this.sessions.values()) s.socket?.send(JSON.stringify({ op: 7, d: null }));
  }

  /** Cuts every socket without a close frame (a network drop). */
  dropConnections(): void {
    for (const s of this.sessions.values()) s.socket?.terminate();
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private push(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const frame = { op: 0 as const, t, s: session.seq, d };
    session.events.push(frame);
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(frame));
  }

  private onConnection(socket: WebSocket): void {
    this.stats.connections += 1;
    const interval = this.options.heartbeatIntervalMs;
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: interval }, s: null, t: null }));
    socket.on('message', (raw) => {
      let frame: { op: number; d: Record<string, unknown> | number | null };
      try {
        frame = JSON.parse(raw.toString());
      } catch {
        socket.close(4002, 'Decode error');
        return;
      }
      this.onFrame(socket, frame);
    });
    socket.on('close', () => {
      for (const s of this.sessions.values()) if (s.socket === socket) s.socket = undefined;
    });
  }

  private onFrame(socket: WebSocket, frame: { op: number; d: unknown }): void {
    if (frame.op === 1) {
      this.stats.heartbeats += 1;
      socket.send(JSON.stringify({ op: 11, d: null }));
    } else if (frame.op === 2) {
      this.identify(socket, frame.d as { token?: string; intents?: number });
    } else if (frame.op === 6) {
      this.resume(socket, frame.d as { token?: string; session_id?: string; seq?: number });
    }
    // Presence updates and other client ops are ignored, as Discord would for a bot.
  }

  private identify(socket: WebSocket, d: { token?: string; intents?: number }): void {
    if (d.token !== this.options.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    this.stats.identifies += 1;
    this.lastIntents = d.intents;
    this.sessionCounter += 1;
    const session: Session = { id: `session-${this.sessionCounter}`, seq: 0, events: [], socket };
    // A new IDENTIFY replaces older sessions of this bot (one shard).
    for (const old of this.sessions.values()) old.socket?.terminate();
    this.sessions.clear();
    this.sessions.set(session.id, session);
    this.push(session, 'READY', {
      v: 10,
      ...this.options.readyData(),
      session_id: session.id,
      resume_gateway_url: this.options.resumeUrl(),
      shard: [0, 1],
    });
    for (const guild of this.options.guildCreates()) this.push(session, 'GUILD_CREATE', guild);
  }

  private resume(
    socket: WebSocket,
    d: { token?: string; session_id?: string; seq?: number },
  ): void {
    const session = d.session_id ? this.sessions.get(d.session_id) : undefined;
    if (d.token !== this.options.token || !session) {
      socket.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    this.stats.resumes += 1;
    session.socket = socket;
    for (const frame of session.events.filter((e) => e.s > (d.seq ?? 0))) {
      socket.send(JSON.stringify(frame));
    }
    this.push(session, 'RESUMED', null);
  }
}
