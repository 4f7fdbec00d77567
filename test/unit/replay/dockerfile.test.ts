import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(resolve(ROOT, file), 'utf8');

describe('the Docker image can replay', () => {
  it('copies timelines/ into the runtime stage, beside dist/, and .dockerignore keeps it', () => {
    const stages = read('Dockerfile').split(/^FROM /m);
    const runtime = stages.at(-1) ?? '';
    expect(runtime).toMatch(/^COPY (--chown=\S+ )?timelines \.\/timelines$/m);
    expect(runtime).toMatch(/^COPY .*\/app\/dist \.\/dist$/m);
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).not.toContain('timelines');
  });
});
