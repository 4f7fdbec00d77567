import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadServicesFile,
  parseServicesFile,
  ServicesFileError,
} from '../../../src/sources/services-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'services-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function load(name: string, text: string) {
  const path = join(dir, name);
  await writeFile(path, text);
  return loadServicesFile(path, readFile);
}

describe('loadServicesFile', () => {
  it('reads YAML, defaulting aliases and marking services trusted', async () => {
    const services = await load(
      'ok.yaml',
      [
        '- id: intranet',
        '  name: Intranet',
        '  sources:',
        '    - { kind: statuspage, url: "http://10.0.0.5:8080" }',
        '- id: acme',
        '  name: Acme Cloud',
        '  aliases: [acme-cloud, ac]',
        '  sources:',
        '    - kind: statuspage',
        '      url: https://status.acme.example',
      ].join('\n'),
    );
    expect(services).toEqual([
      {
        id: 'intranet',
        name: 'Intranet',
        aliases: [],
        sources: [{ kind: 'statuspage', url: 'http://10.0.0.5:8080' }],
        trusted: true,
      },
      {
        id: 'acme',
        name: 'Acme Cloud',
        aliases: ['acme-cloud', 'ac'],
        sources: [{ kind: 'statuspage', url: 'https://status.acme.example' }],
        trusted: true,
      },
    ]);
  });

  it('reads JSON, and a top-level services key', async () => {
    const json = await load(
      'ok.json',
      JSON.stringify({
        services: [
          { id: 'x', name: 'X', sources: [{ kind: 'statuspage', url: 'https://x.example' }] },
        ],
      }),
    );
    expect(json.map((s) => s.id)).toEqual(['x']);
  });

  it.each([
    [
      'unknown kind',
      '[{id: a, name: A, sources: [{kind: rss, url: "https://a.example"}]}]',
      'entry 0 (id "a"), field sources[0].kind: unknown source kind "rss" (known: statuspage, feed, gcp, aws, slack, metastatus)',
    ],
    [
      'bad id',
      '[{id: "Bad Id", name: A, sources: [{kind: statuspage, url: "https://a.example"}]}]',
      'entry 0 (id "Bad Id"), field id: must be a lowercase slug',
    ],
    [
      'missing name',
      '[{id: a, sources: [{kind: statuspage, url: "https://a.example"}]}]',
      'entry 0 (id "a"), field name:',
    ],
    [
      'bad url',
      '[{id: a, name: A, sources: [{kind: statuspage, url: "ftp://a.example"}]}]',
      'field sources[0].url: must be an http(s) URL',
    ],
    ['no sources', '[{id: a, name: A, sources: []}]', 'field sources: needs at least one source'],
    [
      'unknown key',
      '[{id: a, name: A, alias: [x], sources: [{kind: statuspage, url: "https://a.example"}]}]',
      'field (entry): Unrecognized key: "alias"',
    ],
    [
      'empty alias',
      '[{id: a, name: A, aliases: [""], sources: [{kind: statuspage, url: "https://a.example"}]}]',
      'field aliases[0]: must not be empty',
    ],
    [
      'second entry',
      '[{id: a, name: A, sources: [{kind: statuspage, url: "https://a.example"}]}, {id: b, name: B, sources: [{kind: statuspage}]}]',
      'entry 1 (id "b"), field sources[0].url:',
    ],
    [
      'duplicate id',
      '[{id: a, name: A, sources: [{kind: statuspage, url: "https://a.example"}]}, {id: a, name: A2, sources: [{kind: statuspage, url: "https://b.example"}]}]',
      'entry 1 (id "a"), field id: duplicate of entry 0',
    ],
    ['a non-object entry', '[42]', 'entry 0, field (entry):'],
    ['not a list', 'id: a\nname: A\n', 'expected a list of services'],
    ['empty file', '', 'expected a list of services'],
    ['YAML syntax error', '- id: a\n  name: [unclosed\n', 'not valid YAML or JSON'],
  ])('%s: error names the file, the entry and the field', async (_case, text, message) => {
    const attempt = load('bad.yaml', text);
    await expect(attempt).rejects.toBeInstanceOf(ServicesFileError);
    await expect(attempt).rejects.toThrow(`SERVICES_FILE ${join(dir, 'bad.yaml')}: `);
    await expect(attempt).rejects.toThrow(message);
  });

  it('reports every problem at once', () => {
    const text =
      '[{id: a, name: "", sources: []}, {id: "B", name: B, sources: [{kind: x, url: y}]}]';
    expect(() => parseServicesFile(text, 'f.yaml')).toThrow(
      /entry 0 \(id "a"\), field name: must not be empty; entry 0 \(id "a"\), field sources: needs at least one source; entry 1 \(id "B"\), field id: .*; entry 1 \(id "B"\), field sources\[0\]\.kind: .*; entry 1 \(id "B"\), field sources\[0\]\.url: /,
    );
  });

  it('names the file when it cannot be read', async () => {
    const missing = join(dir, 'missing.yaml');
    await expect(loadServicesFile(missing, readFile)).rejects.toThrow(
      `SERVICES_FILE ${missing}: cannot read: ENOENT`,
    );
  });
});
