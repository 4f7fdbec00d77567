import { BUILTIN_SERVICES } from '../sources/catalog-data.js';
import { fetchWithLimits } from '../sources/safe-fetch.js';
import { DEFAULT_FETCH_LIMITS } from '../sources/source.js';
import { checkCatalog, formatCatalogCheck } from './catalog-check.js';

/**
 * `npm run catalog:check [id ...]`: for operators, with internet access. Exits 1 when an entry's
 * page no longer answers as the kind the catalog expects.
 */
const only = new Set(process.argv.slice(2));
const services = BUILTIN_SERVICES.filter((s) => only.size === 0 || only.has(s.id));
const rows = await checkCatalog(services, {
  now: Date.now,
  get: (url) =>
    fetchWithLimits(url, {
      fetch: globalThis.fetch,
      limits: DEFAULT_FETCH_LIMITS,
      allowPrivate: true,
      headers: { 'user-agent': 'outage-bot catalog check' },
    }),
});
console.log(formatCatalogCheck(rows));
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
