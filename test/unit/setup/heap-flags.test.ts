import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAP_FLAGS } from '../../../bench/support/heap-flags.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(resolve(ROOT, file), 'utf8');

/** The memory bench measures the bot with the heap flags production runs with: the same ones. */
describe('heap flags', () => {
  it('the Docker image sets them in NODE_OPTIONS', () => {
    const runtime =
      read('Dockerfile')
        .split(/^FROM /m)
        .at(-1) ?? '';
    expect(runtime).toContain(`NODE_OPTIONS="${HEAP_FLAGS.join(' ')}"`);
  });

  it('npm start passes them to node', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(scripts.start).toContain(`node ${HEAP_FLAGS.join(' ')} dist/src/main.js`);
  });
});
