import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { figure } from '../support/figure.js';
import { HEAP_FLAGS } from '../support/heap-flags.js';
import { startPagesServer } from '../support/pages.js';
import { type Scenario, scaled } from '../support/scenario.js';

const run = promisify(execFile);

/**
 * Resident memory of the bot's poll and delivery path with 5,000 services and 50,000
 * subscriptions after an hour, time compressed (memory-child.ts, in a process of its own,
 * measured after a full GC), with the heap flags production runs with. The hour is 12 cycles of 5 minutes: 60 one-minute cycles are
 * 300,000 polls, five minutes or more on this machine, past the whole bench's 10-minute budget.
 */
export const memoryScenario: Scenario = {
  name: 'memory',
  about: 'resident memory with 5,000 services and 50,000 subscriptions after an hour of cycles',
  async run(ctx) {
    const services = scaled(ctx, 5_000, 50);
    const cycles = scaled(ctx, 12, 3);
    const cycleMinutes = 60 / cycles;
    const child = fileURLToPath(new URL('../support/memory-child.js', import.meta.url));
    const pages = await startPagesServer();
    await pages.setEtag(true);
    const base = pages.urlOf('').replace(/\/$/, '');
    const { stdout } = await run(
      process.execPath,
      [
        '--expose-gc',
        ...HEAP_FLAGS,
        child,
        base,
        String(services),
        '10',
        String(cycles),
        String(cycleMinutes),
      ],
      { maxBuffer: 1 << 20, timeout: 15 * 60_000 },
    ).finally(() => pages.close());
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      rssMiB: number;
      heapMiB: number;
      heapTotalMiB: number;
      sent: number;
      ms: number;
    };
    ctx.log(`memory: ${JSON.stringify(result)}`);
    return [
      figure(
        `memory: resident, ${services} services, ${services * 10} subscriptions, after an hour (${cycles} cycles)`,
        result.rssMiB * 1.048576,
        'MB',
        { atMost: 250 },
      ),
      figure('memory: JS heap in use (live, after a full GC)', result.heapMiB * 1.048576, 'MB'),
      figure('memory: JS heap reserved', result.heapTotalMiB * 1.048576, 'MB'),
      figure(
        'memory: polls/s over the compressed hour',
        (services * cycles) / (result.ms / 1000),
        '/s',
      ),
    ];
  },
};
