import { describe, expect, it } from 'vitest';
import {
  createSource,
  isSourceKind,
  SOURCE_KINDS,
  sourceKindNames,
} from '../../../src/sources/registry.js';
import { StatuspageSource } from '../../../src/sources/statuspage.js';
import { service, sourceDeps } from './helpers.js';

describe('source registry', () => {
  it('creates a Statuspage source', () => {
    const svc = service('https://www.githubstatus.com');
    const source = createSource(
      svc,
      { kind: 'statuspage', url: 'https://www.githubstatus.com' },
      sourceDeps(),
    );
    expect(source).toBeInstanceOf(StatuspageSource);
    expect(source.service).toBe(svc);
  });

  it('names the service, the kind and the known kinds for an unknown kind', () => {
    expect(() =>
      createSource(
        service('https://x.example'),
        { kind: 'rss', url: 'https://x.example' },
        sourceDeps(),
      ),
    ).toThrow(
      'service "acme": unknown source kind "rss" (known: statuspage, feed, gcp, aws, slack, metastatus)',
    );
  });

  it('does not treat Object.prototype names as kinds', () => {
    expect(isSourceKind('toString')).toBe(false);
    expect(isSourceKind('statuspage')).toBe(true);
    expect(sourceKindNames()).toEqual(Object.keys(SOURCE_KINDS));
  });
});
