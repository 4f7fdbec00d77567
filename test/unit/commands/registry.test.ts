import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { slackMentionSyntax } from '../../../adapters/slack/mention-syntax.js';
import type { CommandDefinition } from '../../../commands/command.js';
import { parseCommandText } from '../../../commands/parse-text.js';
import {
  COMMANDS,
  defineCommands,
  FAILED_TEXT,
  findCommand,
  REFUSED_TEXT,
  runCommand,
} from '../../../commands/registry.js';
import { CHANNEL, harnessPerTest } from './command-fixtures.js';

const fake = (name: string, run: CommandDefinition['run'], manages = false): CommandDefinition => ({
  name,
  description: 'test',
  options: [{ name: 'thing', description: 'a thing', required: true }],
  manages,
  examples: [`${name} x`],
  run,
});

describe('command table', () => {
  it('holds every subcommand once, in help order', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual([
      'subscribe',
      'unsubscribe',
      'list',
      'status',
      'history',
      'services',
      'report',
      'mute',
      'unmute',
      'digest',
      'help',
    ]);
    expect(COMMANDS.filter((c) => c.manages).map((c) => c.name)).toEqual([
      'subscribe',
      'unsubscribe',
      'mute',
      'unmute',
      'digest',
    ]);
  });

  it('finds commands case-insensitively', () => {
    expect(findCommand(' Status ')?.name).toBe('status');
    expect(findCommand('nope')).toBeUndefined();
  });

  it('rejects duplicate and malformed names at load', () => {
    const ok = async () => ({ visibility: 'ephemeral' as const, text: '' });
    expect(() => defineCommands([fake('a', ok), fake('a', ok)])).toThrow(
      'commands: duplicate command name "a"',
    );
    expect(() => defineCommands([fake('Bad Name', ok)])).toThrow('invalid command name');
  });

  it('every help example parses', () => {
    for (const def of COMMANDS) {
      for (const example of def.examples) {
        const parsed = parseCommandText(example, { mentions: slackMentionSyntax });
        expect(parsed.ok && parsed.command.name, example).toBe(def.name);
      }
    }
  });
});

describe('runCommand', () => {
  const h = harnessPerTest();

  it('turns an unexpected error into a short reply and logs it with the command name', async () => {
    const lines: Array<Record<string, unknown>> = [];
    h.services.logger = pino(
      { level: 'error' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const boom = fake('boom', async () => {
      throw new Error('database on fire');
    });
    const reply = await runCommand(boom, h.ctx, { thing: 'x' });
    expect(reply).toEqual({ visibility: 'ephemeral', error: true, text: FAILED_TEXT });
    expect(reply.text).not.toContain('database on fire');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      command: 'boom',
      msg: 'command failed unexpectedly',
      err: { message: 'database on fire' },
    });
  });

  it('refuses managing commands to non-managers only under the managers policy', async () => {
    let ran = 0;
    const managing = fake(
      'manage',
      async () => {
        ran++;
        return { visibility: 'in_channel', text: 'done' };
      },
      true,
    );
    const member = h.ctxFor(CHANNEL, { canManage: false });
    expect((await runCommand(managing, member, { thing: 'x' })).text).toBe('done');
    h.services.managePolicy = 'managers';
    expect(await runCommand(managing, member, { thing: 'x' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: REFUSED_TEXT,
    });
    expect(await runCommand(managing, h.ctx, { thing: 'x' })).toEqual({
      visibility: 'in_channel',
      text: 'done',
    });
    expect(ran).toBe(2);
  });

  it('never refuses read-only commands', async () => {
    h.services.managePolicy = 'managers';
    const list = findCommand('list');
    if (!list) throw new Error('no list');
    const reply = await runCommand(list, h.ctxFor(CHANNEL, { canManage: false }), {});
    expect(reply.error).toBeUndefined();
  });

  it('answers a missing required option without running the command', async () => {
    let ran = false;
    const def = fake('needy', async () => {
      ran = true;
      return { visibility: 'ephemeral', text: '' };
    });
    expect(await runCommand(def, h.ctx, { thing: '  ' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: '/outage needy needs a thing.\nUsage: /outage needy <thing>\nExample: /outage needy x',
    });
    expect(ran).toBe(false);
  });
});
