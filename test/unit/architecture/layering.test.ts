import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The composition roots: the only files under src/ allowed to wire adapters and commands in. */
const COMPOSITION_ROOT = new Set(['src/main.ts', 'src/app.ts', 'src/replay/cli.ts']);
const UPPER_LAYERS = ['adapters/', 'commands/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports (static, dynamic, re-exports), as a path from the project root. */
function importsOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(ROOT, resolve(ROOT, dirname(file), name)));
}

/** `src/` files (outside the composition root) that import from adapters/ or commands/. */
function layeringViolations(files: string[], readImports = importsOf): string[] {
  return files
    .filter((file) => !COMPOSITION_ROOT.has(file))
    .flatMap((file) =>
      readImports(file)
        .filter((target) => UPPER_LAYERS.some((layer) => target.startsWith(layer)))
        .map((target) => `${file} imports ${target}`),
    );
}

describe('layering: imports point down', () => {
  it('no file under src/ but the composition root imports adapters/ or commands/', () => {
    const files = sourceFiles('src');
    expect(files.length).toBeGreaterThan(20);
    expect(layeringViolations(files)).toEqual([]);
  });

  it('catches an upward import, static or dynamic', () => {
    const imports: Record<string, string[]> = {
      'src/delivery/worker.ts': ['adapters/slack/errors.js'],
      'src/http/server.ts': ['commands/registry.js', 'src/store/store.js'],
      'src/app.ts': ['adapters/registry.js'],
    };
    expect(layeringViolations(Object.keys(imports), (f) => imports[f] ?? [])).toEqual([
      'src/delivery/worker.ts imports adapters/slack/errors.js',
      'src/http/server.ts imports commands/registry.js',
    ]);
  });

  it('sees static, type-only, dynamic and re-exported imports', () => {
    const text = [
      "import type { A } from '../../adapters/a.js';",
      "export { B } from '../../commands/b.js';",
      "const c = await import('../../adapters/c.js');",
      "import { d } from 'discord.js';",
    ].join('\n');
    expect(importsOf('src/delivery/x.ts', text)).toEqual([
      'adapters/a.js',
      'commands/b.js',
      'adapters/c.js',
    ]);
  });
});
