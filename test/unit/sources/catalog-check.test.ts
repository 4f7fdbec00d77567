import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/incidents/model.js';
import { fetchWithLimits } from '../../../src/sources/safe-fetch.js';
import { checkCatalog, formatCatalogCheck } from '../../../src/tools/catalog-check.js';
import { type FixtureServer, startFixtureServer } from '../../fakes/fixture-server.js';
import { TEST_LIMITS } from './helpers.js';

let page: FixtureServer;
let other: FixtureServer;
beforeEach(async () => {
  page = await startFixtureServer();
  other = await startFixtureServer();
});
afterEach(async () => {
  await page.close();
  await other.close();
});

const svc = (id: string, kind: string, url: string, pageUrl?: string): Service => ({
  id,
  name: id,
  aliases: [],
  sources: [{ kind, url }],
  trusted: true,
  ...(pageUrl ? { pageUrl } : {}),
});

describe('npm run catalog:check', () => {
  it('prints expected and detected kind, HTTP status and time per entry, marking mismatches', async () => {
    page.set('/api/v2/summary.json', {
      body: readFileSync(
        new URL(
          '../../fixtures/statuspage/github-summary-all-operational-2024-02-05.json',
          import.meta.url,
        ),
      ),
    });
    page.set('/', { headers: { 'content-type': 'text/html' }, body: '<html></html>' });
    other.set('/', { headers: { 'content-type': 'text/html' }, body: '<html></html>' });
    let clock = 0;
    const rows = await checkCatalog(
      [
        svc('good', 'statuspage', page.url),
        svc('moved', 'instatus', other.url),
        svc('front-door', 'probe', `${other.url}/`),
      ],
      {
        now: () => (clock += 5),
        get: (url) =>
          fetchWithLimits(url, {
            fetch: globalThis.fetch,
            limits: TEST_LIMITS,
            allowPrivate: true,
          }),
      },
    );
    expect(rows.map(({ ms: _ms, ...r }) => r)).toEqual([
      { id: 'good', expected: 'statuspage', detected: 'statuspage', status: 200, ok: true },
      { id: 'moved', expected: 'instatus', detected: 'unknown', status: 200, ok: false },
      { id: 'front-door', expected: 'probe', detected: 'probe answers', status: 200, ok: true },
    ]);
    const table = formatCatalogCheck(rows).split('\n');
    expect(table[0]).toMatch(/^entry\s+expected\s+detected\s+HTTP\s+ms$/);
    expect(table[2]).toMatch(/^moved\s+instatus\s+unknown\s+200\s+\d+\s+MISMATCH$/);
    expect(table.at(-1)).toBe('3 entries, 1 mismatched');
  });
});
