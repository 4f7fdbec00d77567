import * as sentryList from '@sentry/status-page-list';
import { describe, expect, it } from 'vitest';
import { SENTRY_OVERLAY } from '../../../src/sources/catalog/sentry-overlay.js';
import { BUILTIN_SERVICES, CATALOG_ENTRIES } from '../../../src/sources/catalog-data.js';
import { MemoryCatalog } from '../../../src/sources/memory-catalog.js';
import { isSourceKind } from '../../../src/sources/registry.js';

const META = ['facebook', 'instagram', 'whatsapp', 'messenger', 'threads', 'meta-quest'];

describe('built-in catalog', () => {
  it('holds at least 150 services with unique ids, the Meta family first', () => {
    const ids = BUILTIN_SERVICES.map((s) => s.id);
    expect(ids.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, META.length)).toEqual(META);
  });

  it('gives every Sentry list entry our half (id, kind, tags), so a package upgrade is noticed', () => {
    const keys = Object.keys(sentryList)
      .filter((k) => k.endsWith('StatusInfo'))
      .map((k) => k.slice(0, -'StatusInfo'.length));
    expect(keys.filter((k) => !SENTRY_OVERLAY[k])).toEqual([]);
    expect(Object.keys(SENTRY_OVERLAY).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('names only registered source kinds, each with an https URL', () => {
    const bad = BUILTIN_SERVICES.flatMap((s) =>
      s.sources
        .filter((src) => !isSourceKind(src.kind) || !src.url.startsWith('https://'))
        .map((src) => `${s.id}: ${src.kind} ${src.url}`),
    );
    expect(bad).toEqual([]);
  });

  it('no alias shadows another service id or repeats another alias', () => {
    const ids = new Set(BUILTIN_SERVICES.map((s) => s.id));
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const s of BUILTIN_SERVICES) {
      for (const alias of s.aliases) {
        if (ids.has(alias)) clashes.push(`${s.id}: alias ${alias} is an id`);
        const other = seen.get(alias);
        if (other) clashes.push(`${s.id}: alias ${alias} also on ${other}`);
        seen.set(alias, s.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('the Meta family is probed at its own front door, with metastatus beside the probe', () => {
    const catalog = new MemoryCatalog(BUILTIN_SERVICES);
    const kinds = (id: string) => catalog.get(id)?.sources.map((s) => s.kind);
    expect(kinds('facebook')).toEqual(['probe', 'metastatus', 'metastatus']);
    expect(kinds('instagram')).toEqual(['probe', 'metastatus']);
    expect(kinds('whatsapp')).toEqual(['probe', 'metastatus']);
    expect(kinds('messenger')).toEqual(['probe', 'metastatus']);
    for (const [alias, id] of [
      ['fb', 'facebook'],
      ['ig', 'instagram'],
      ['insta', 'instagram'],
      ['wa', 'whatsapp'],
      ['aws', 'aws'],
      ['gcp', 'gcp'],
    ])
      expect(catalog.find(alias as string).service?.id).toBe(id);
  });

  it('a family tag lists the family first', () => {
    const catalog = new MemoryCatalog(BUILTIN_SERVICES);
    const meta = catalog.search('meta', 50).map((s) => s.id);
    expect(meta.slice(0, 7).sort()).toEqual([...META, 'meta-developers'].sort());
    expect(catalog.search('cloud', 50).map((s) => s.id)).toEqual(
      expect.arrayContaining(['aws', 'gcp', 'azure', 'cloudflare']),
    );
  });

  it('each entry is built from the table, never by guessing', () => {
    expect(CATALOG_ENTRIES.every((e) => e.sources.length > 0 && e.tags.length > 0)).toBe(true);
  });
});
