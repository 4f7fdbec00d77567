import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm run replay` as a user runs it: the compiled CLI, the shipped Meta timeline, at full speed.
 * What it prints is what the README's "See it work" section shows, to the character.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/src/replay/cli.js');
const run = promisify(execFile);

async function replay(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      maxBuffer: 10 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The text block between the README's replay markers. */
async function readmeReplay(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const block = readme.split('<!-- replay:start -->')[1]?.split('<!-- replay:end -->')[0] ?? '';
  return block.replace(/^\s*```text\n/, '').replace(/```\s*$/, '');
}

const SERVICES = ['Facebook', 'Instagram', 'WhatsApp', 'Messenger'];
const TIME = /^(\d{2}):(\d{2}):(\d{2}) /;

describe('npm run replay -- meta-2021-10-04', () => {
  it('prints what the README shows: one grouped thread opened before 15:51, each service resolved once', async () => {
    const { code, stdout, stderr } = await replay('meta-2021-10-04', '--speed', 'max');
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(await readmeReplay());

    const lines = stdout.trimEnd().split('\n');
    // A message's first line carries its time; the rest of a start message is indented under it.
    const messages = lines.filter((line) => TIME.test(line));
    expect(
      lines
        .filter((line) => !TIME.test(line))
        .every((l) => l.startsWith('         ┃') || l === '         ┗'),
    ).toBe(true);
    const first = messages[0]?.match(TIME);
    expect(first && `${first[1]}:${first[2]}` < '15:51').toBe(true);

    // Four services failing within a minute are one grouped thread (rule 8): one start message.
    expect(messages.filter((l) => l.includes(' ┏ '))).toHaveLength(1);
    expect(new Set(messages.map((line) => line.match(/\[([^\]]+)\]/)?.[1])).size).toBe(1);
    const replies = messages.filter((l) => l.includes(' ↳ '));
    for (const name of SERVICES) {
      const own = (text: string) => replies.filter((l) => l.includes(`] ${name}: ${text}`));
      if (name !== 'Instagram') expect(own('🟠 Incident started'), name).toHaveLength(1);
      // Probes first, then the crowd: user reports confirm each one.
      expect(own('⬆ Confirmed by probes and user reports'), name).toHaveLength(1);
      expect(own('Update (Investigating): Probe: now HTTP 503'), name).toHaveLength(1);
      // Back up is watched, not over: each service resolves after the hold (SIGNAL_HOLD_MS).
      expect(own('Update (Monitoring): Probe:'), name).toHaveLength(1);
      expect(own('✅ Resolved after 5h'), name).toHaveLength(1);
    }
    const edits = messages.filter((l) => l.includes(' ✎ '));
    expect(edits.at(-1)).toContain('start message now reads: Over: 4 services were down at once');
    expect(edits.filter((l) => l.includes('Over:'))).toHaveLength(1);
    // Messages come out in time order.
    const times = messages.map((line) => line.slice(0, 8));
    expect(times).toEqual([...times].sort());
    // About 15 s on a quiet machine; the output, not the speed, is what is checked.
  }, 300_000);

  it('refuses a broken timeline with its file, line and field, and plays nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'replay-cli-'));
    try {
      const file = join(dir, 'broken.yml');
      await writeFile(
        file,
        'name: x\ndate: 2021-10-04\nfrom: "15:30"\nuntil: "16:00"\nservices: [facebook]\nsignals:\n  - { at: "15:40", kind: host, hosts: [a.example], dns: down }\n',
      );
      const { code, stdout, stderr } = await replay(file, '--speed', 'max');
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `${file}:7:57: signals[0].dns: Invalid option: expected one of "ok"|"servfail"|"nxdomain"|"timeout"\n`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says how to call it when the timeline is missing or an option is wrong', async () => {
    const missing = await replay('no-such-timeline');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `no timeline at ${join(ROOT, 'timelines/no-such-timeline.yml')}\nusage: npm run replay -- <timeline name or file> [--speed N|max] [--platform console|slack|discord]\n`,
    );
    const speed = await replay('meta-2021-10-04', '--speed', 'fast');
    expect(speed.stderr.split('\n')[0]).toBe('--speed takes a positive number or max, not fast');
    const platform = await replay('meta-2021-10-04', '--platform', 'teams');
    expect(platform.code).toBe(2);
    expect(platform.stderr.split('\n')[0]).toBe(
      '--platform takes console, slack or discord, not teams',
    );
  });
});
