import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_SERVICES } from '../../../src/sources/catalog-data.js';
import {
  CATALOG_BEGIN,
  CATALOG_END,
  catalogMarkdown,
} from '../../../src/tools/catalog-markdown.js';

const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');

/** Biome pads markdown tables: compare cells, not spacing. */
const cells = (markdown: string): string[] =>
  markdown.split('\n').map((line) =>
    line.startsWith('|')
      ? line
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim().replace(/^-+$/, '---'))
          .join('|')
      : line,
  );

describe('the README catalog', () => {
  it('is the table the code generates (run `npm run readme:catalog` after changing the catalog)', () => {
    const start = readme.indexOf(CATALOG_BEGIN);
    const end = readme.indexOf(CATALOG_END) + CATALOG_END.length;
    expect(start).toBeGreaterThan(0);
    expect(cells(readme.slice(start, end))).toEqual(cells(catalogMarkdown(BUILTIN_SERVICES)));
  });
});
