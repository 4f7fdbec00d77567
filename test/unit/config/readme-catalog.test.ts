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

describe('the README catalog', () => {
  it('is the table the code generates (run `npm run readme:catalog` after changing the catalog)', () => {
    const start = readme.indexOf(CATALOG_BEGIN);
    const end = readme.indexOf(CATALOG_END) + CATALOG_END.length;
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end)).toBe(catalogMarkdown(BUILTIN_SERVICES));
  });
});
