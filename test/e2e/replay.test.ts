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

const SERVICES = ['facebook', 'instagram', 'whatsapp', 'messenger'];
const TIME = /^(\d{2}):(\d{2}):(\d{2}) /;

describe('npm run replay -- meta-2021-10-04', () => {
  it('prints what the README shows: four threads opened before 15:51, each resolved once', async () => {
    const { code, stdout, stderr } = await replay('meta-2021-10-04', '--speed', 'max');
    expect(code, stderr).toBe(0);
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

    for (const service of SERVICES) {
      const own = messages.filter((line) => line.includes(` [${service}:probe:`));
      const keys = new Set(own.map((line) => line.match(/\[([^\]]+)\]/)?.[1]));
      expect(keys.size, service).toBe(1);
      expect(
        own.filter((l) => l.includes('🟠 Incident started:')),
        service,
      ).toHaveLength(1);
      expect(
        own.filter((l) => l.includes('DNS SERVFAIL')),
        service,
      ).toHaveLength(1);
      expect(
        own.filter((l) => l.includes('Update (Investigating): Probe: now HTTP 503')),
        service,
      ).toHaveLength(1);
      expect(
        own.filter((l) => l.includes('✅ Resolved after 5h')),
        service,
      ).toHaveLength(1);
      expect(
        own.filter((l) => l.includes('start message now reads: Resolved')),
        service,
      ).toHaveLength(1);
      // Back up is watched, not over: the thread resolves after the hold (SIGNAL_HOLD_MS).
      expect(
        own.filter((l) => l.includes('Update (Monitoring): Probe:') && l.includes('answers again')),
        service,
      ).toHaveLength(1);
      expect(own, service).toHaveLength(5);
    }
    expect(messages).toHaveLength(20);
    // Messages come out in time order.
    const times = messages.map((line) => line.slice(0, 8));
    expect(times).toEqual([...times].sort());

    for (const service of SERVICES) {
      expect(stderr).toContain(
        `replay: report signals for ${service} are read but not counted (user reports are not part of this build)`,
      );
    }
  }, 120_000);

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
