import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORMS, platformConfig } from '../../../adapters/registry.js';
import { COMMANDS } from '../../../commands/registry.js';
import { configVariables, loadConfig } from '../../../src/config.js';
import { sourceKindNames } from '../../../src/sources/registry.js';

const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');

/** The rows of the README's configuration table: name and documented default. */
function configTable(): Map<string, string> {
  const section = readme.split('\n## Configuration')[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((line) => /^\| `[A-Z_]+`/.test(line));
  return new Map(
    rows.map((row) => {
      const [, name = '', byDefault = ''] = row.split('|').map((cell) => cell.trim());
      return [name.replaceAll('`', ''), byDefault.replaceAll('`', '')];
    }),
  );
}

describe('the README stays true to the code', () => {
  it('documents exactly the variables loadConfig reads', () => {
    expect([...configTable().keys()].sort()).toEqual(
      configVariables(platformConfig(PLATFORMS)).sort(),
    );
  });

  it('gives the defaults loadConfig applies', () => {
    const defaults: Record<string, unknown> = loadConfig({}, platformConfig(PLATFORMS));
    for (const [name, documented] of configTable()) {
      const actual = defaults[name];
      if (actual === undefined || (Array.isArray(actual) && actual.length === 0)) {
        expect(['unset', 'empty'], name).toContain(documented);
      } else {
        expect(documented, name).toBe(String(actual));
      }
    }
  });

  it('lists every /outage subcommand in its command reference', () => {
    const section = readme.split('\n## Commands')[1]?.split('\n## ')[0] ?? '';
    for (const command of COMMANDS) expect(section, command.name).toContain(`\`${command.name}`);
  });
});

describe('the README source kinds', () => {
  it('has a row with an example entry for every registered source kind', () => {
    const section = readme.split('\n### Source kinds')[1]?.split('\n## ')[0] ?? '';
    for (const kind of sourceKindNames()) {
      expect(section, kind).toMatch(new RegExp(`\\| \`${kind}\`\\s+\\|.*\\{ kind: ${kind}, url: `));
    }
  });
});
