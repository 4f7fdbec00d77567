import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/incidents/model.js';
import { BUILTIN_SERVICES } from '../../../src/sources/catalog-data.js';
import { editDistance, MemoryCatalog, normalizeKey } from '../../../src/sources/memory-catalog.js';
import { catalogService } from '../../helpers/services.js';

const svc = (id: string, name: string, aliases: string[] = []): Service =>
  catalogService(id, name, { aliases, url: `https://${id}.example` });

describe('MemoryCatalog.find', () => {
  const catalog = new MemoryCatalog(BUILTIN_SERVICES);

  it.each([
    ['github', 'github'],
    ['GitHub', 'github'],
    ['  GITHUB ', 'github'],
    ['gh', 'github'],
    ['New Relic', 'newrelic'],
    ['new-relic', 'newrelic'],
    ['anthropic', 'claude'],
    ['Jira', 'atlassian'],
    ['confluence', 'atlassian'],
    ['Epic Games', 'epicgames'],
  ])('%j finds %s', (query, id) => {
    expect(catalog.find(query)).toEqual({ service: catalog.get(id), suggestions: [] });
  });

  it.each([
    ['githb', 'github'],
    ['dicsord', 'discord'],
    ['cloudflar', 'cloudflare'],
    ['digitalocen', 'digitalocean'],
    ['redit', 'reddit'],
  ])('a near miss %j suggests %s first', (query, id) => {
    const result = catalog.find(query);
    expect(result.service).toBeUndefined();
    expect(result.suggestions[0]?.id).toBe(id);
    expect(result.suggestions.length).toBeLessThanOrEqual(3);
  });

  it('suggests nothing for something unrelated, or for empty input', () => {
    expect(catalog.find('qqqqqqqqq')).toEqual({ suggestions: [] });
    expect(catalog.find('  ')).toEqual({ suggestions: [] });
  });

  it('an id beats another service alias that spells the same', () => {
    const c = new MemoryCatalog([svc('b', 'Bee', ['alpha']), svc('alpha', 'Alpha Corp')]);
    expect(c.find('alpha').service?.id).toBe('alpha');
  });
});

describe('MemoryCatalog.search', () => {
  const catalog = new MemoryCatalog([
    svc('stat', 'Stat'),
    svc('status-hub', 'Status Hub'),
    svc('appstatus', 'App Status'),
    svc('upstat', 'Upstat'),
    svc('stab', 'Stab'),
    svc('other', 'Other', ['stat-alias-zzz']),
  ]);

  it('ranks exact, then prefix, then substring, then fuzzy, ties by name', () => {
    expect(catalog.search('stat', 10).map((s) => s.id)).toEqual([
      'stat', // exact
      'other', // prefix (via its alias), "Other" < "Status Hub"
      'status-hub', // prefix
      'appstatus', // substring, "App Status" < "Upstat"
      'upstat', // substring
      'stab', // fuzzy (one edit)
    ]);
  });

  it('respects the limit and lists everything by name for an empty query', () => {
    expect(catalog.search('stat', 2).map((s) => s.id)).toEqual(['stat', 'other']);
    expect(catalog.search('', 3).map((s) => s.name)).toEqual(['App Status', 'Other', 'Stab']);
    expect(catalog.search('stat', 0)).toEqual([]);
  });

  it('answers autocomplete over the built-in catalog', () => {
    const c = new MemoryCatalog(BUILTIN_SERVICES);
    expect(c.search('git', 5)[0]?.id).toBe('github');
    expect(c.search('cl', 5).map((s) => s.id)).toEqual([
      'claude',
      'clearbit',
      'clerk',
      'clickhouse',
      'clickup',
    ]);
  });
});

describe('MemoryCatalog add/get/all', () => {
  it('replaces a service with the same id and finds it by its new aliases', () => {
    const c = new MemoryCatalog([svc('acme', 'Acme')]);
    c.add(svc('acme', 'Acme Inc', ['roadrunner']));
    expect(c.all()).toHaveLength(1);
    expect(c.get('ACME')?.name).toBe('Acme Inc');
    expect(c.find('roadrunner').service?.id).toBe('acme');
    expect(c.get('missing')).toBeUndefined();
  });
});

describe('helpers', () => {
  it('normalizeKey ignores case, spaces and punctuation', () => {
    expect(normalizeKey(' New-Relic.io ')).toBe('newrelicio');
    expect(normalizeKey('Café')).toBe('cafe');
  });
  it.each([
    ['', 'abc', 3],
    ['abc', 'abc', 0],
    ['githb', 'github', 1],
    ['dicsord', 'discord', 1],
    ['kitten', 'sitting', 3],
  ])('editDistance(%j, %j) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('built-in catalog data', () => {
  it('has unique slugs, trusted sources, and no name or alias shadowing another service', () => {
    const ids = BUILTIN_SERVICES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = new Map<string, string>();
    for (const s of BUILTIN_SERVICES) {
      expect(s.id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
      expect(s.trusted).toBe(true);
      expect(s.sources.length).toBeGreaterThan(0);
      for (const key of [s.id, s.name, ...s.aliases].map(normalizeKey)) {
        const owner = keys.get(key);
        expect(owner === undefined || owner === s.id, `${key} used by ${owner} and ${s.id}`).toBe(
          true,
        );
        keys.set(key, s.id);
      }
    }
    for (const id of [
      'github',
      'discord',
      'cloudflare',
      'zoom',
      'reddit',
      'claude',
      'atlassian',
      'digitalocean',
      'twilio',
      'dropbox',
      'npm',
    ]) {
      expect(ids).toContain(id);
    }
  });
});
