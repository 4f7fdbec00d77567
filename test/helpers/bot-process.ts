import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(import.meta.dirname, '../../dist/src/main.js');

/**
 * The real bot, as a child process running the compiled entry point (test/global-setup.ts
 * builds it). stdout is the console feed, stderr the JSON log; both are kept for assertions.
 */
export class BotProcess {
  stdout = '';
  stderr = '';
  private child: ChildProcess | undefined;
  /** The log lines parsed so far and how far into stderr they reach: waits poll `logs()` often. */
  private parsed: Record<string, unknown>[] = [];
  private parsedTo = 0;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly env: Record<string, string>) {}

  start(): this {
    this.child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        NO_PROXY: '127.0.0.1,localhost',
        LOG_FORMAT: 'json',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    const child = this.child;
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
    return this;
  }

  /** The process id, to show a process stayed the same one through a fault. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** Parsed JSON log lines (stderr). */
  logs(): Record<string, unknown>[] {
    const end = this.stderr.lastIndexOf('\n') + 1;
    if (end > this.parsedTo) {
      for (const line of this.stderr.slice(this.parsedTo, end).split('\n')) {
        if (line.startsWith('{')) this.parsed.push(JSON.parse(line) as Record<string, unknown>);
      }
      this.parsedTo = end;
    }
    return [...this.parsed];
  }

  /** Polls `check` until it holds; the default wait covers a start-up on a loaded machine. */
  async waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > until) {
        throw new Error(
          `timed out waiting for ${what}\n--- stdout ---\n${this.stdout}\n--- stderr (tail) ---\n${this.stderr.slice(-4000)}`,
        );
      }
      if (!this.running && this.child) {
        throw new Error(
          `bot exited while waiting for ${what}\n--- stderr ---\n${this.stderr.slice(-4000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  waitForLog(message: string | RegExp, timeoutMs?: number): Promise<void> {
    const match = (line: Record<string, unknown>) =>
      typeof message === 'string' ? line.msg === message : message.test(String(line.msg));
    return this.waitFor(() => this.logs().some(match), `log ${String(message)}`, timeoutMs);
  }

  /** Kill without any chance to clean up, as a crash or OOM kill would. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    this.child?.kill(signal);
    return this.exited;
  }
}

/** A fresh data directory for the embedded store, removed by the returned cleanup. */
export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'outage-bot-e2e-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A port that was free a moment ago, for the bot's HTTP server. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Counts the lines of `text` that match. */
export function countMatches(text: string, pattern: RegExp): number {
  return text.split('\n').filter((line) => pattern.test(line)).length;
}
