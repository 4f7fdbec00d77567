import { readFile, writeFile } from 'node:fs/promises';
import { BUILTIN_SERVICES } from '../sources/catalog-data.js';
import { catalogMarkdown, withCatalog } from './catalog-markdown.js';

/** `npm run readme:catalog`: rewrites the README's catalog table from the code. */
const path = process.argv[2] ?? 'README.md';
const readme = await readFile(path, 'utf8');
await writeFile(path, withCatalog(readme, catalogMarkdown(BUILTIN_SERVICES)));
console.log(`${path}: catalog of ${BUILTIN_SERVICES.length} services written`);
