import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fanoutScenario } from './scenarios/fanout.js';
import { latencyScenario } from './scenarios/latency.js';
import { memoryScenario } from './scenarios/memory.js';
import { partsScenario } from './scenarios/parts.js';
import { pollScenario } from './scenarios/poll.js';
import { redisTripsScenario } from './scenarios/redis-trips.js';
import type { Figure } from './support/figure.js';
import type { Scenario } from './support/scenario.js';

/**
 * `npm run bench [-- <scenario>...]`: runs the scenarios (all by default), prints one table and
 * writes bench/results.json. A run of some scenarios replaces only their figures in the file.
 * BENCH_SCALE (default 1) shrinks every size, for developing a scenario; such a run writes
 * bench/results.scaled.json instead, so the recorded figures are always full size.
 */
const SCENARIOS: readonly Scenario[] = [
  pollScenario,
  redisTripsScenario,
  latencyScenario,
  fanoutScenario,
  memoryScenario,
  partsScenario,
];

interface Results {
  machine: { cores: number; memoryGiB: number; node: string; cpuModel: string };
  /** Load averages (1, 5, 15 min) when the run started and ended: a busy machine distorts it. */
  load: { before: number[]; after: number[] };
  ranAt: string;
  scale: number;
  /** Seconds per scenario. */
  durations: Record<string, number>;
  figures: Figure[];
}

const load = () => loadavg().map((n) => Number(n.toFixed(2)));

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  const chosen = asked.length > 0 ? SCENARIOS.filter((s) => asked.includes(s.name)) : SCENARIOS;
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error('BENCH_SCALE must be in (0, 1]');
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  const before = load();
  const started = Date.now();
  const durations: Record<string, number> = {};
  const byScenario = new Map<string, Figure[]>();
  for (const scenario of chosen) {
    log(`${scenario.name}: ${scenario.about}`);
    const t0 = Date.now();
    byScenario.set(scenario.name, await scenario.run({ scale, log }));
    durations[scenario.name] = Math.round((Date.now() - t0) / 100) / 10;
  }
  const sourcePath = new URL(
    `../../bench/${scale === 1 ? 'results.json' : 'results.scaled.json'}`,
    import.meta.url,
  );
  const previous = readPrevious(sourcePath);
  const figures: Figure[] = [];
  for (const scenario of SCENARIOS) {
    const fresh = byScenario.get(scenario.name);
    if (fresh) figures.push(...fresh);
    else figures.push(...(previous?.figuresOf[scenario.name] ?? []));
  }
  const results: Results & { scenarios: Record<string, string[]> } = {
    machine: {
      cores: cpus().length,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      cpuModel: cpus()[0]?.model ?? 'unknown',
    },
    load: { before, after: load() },
    ranAt: new Date(started).toISOString(),
    scale,
    durations: { ...previous?.durations, ...durations },
    figures,
    scenarios: Object.fromEntries(
      SCENARIOS.map((s) => [
        s.name,
        (byScenario.get(s.name) ?? previous?.figuresOf[s.name] ?? []).map((f) => f.name),
      ]),
    ),
  };
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(sourcePath, json);
  printTable(results, [...byScenario.values()].flat());
}

function readPrevious(
  path: URL,
): { figuresOf: Record<string, Figure[]>; durations: Record<string, number> } | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const old = JSON.parse(readFileSync(path, 'utf8')) as Results & {
      scenarios?: Record<string, string[]>;
    };
    const figuresOf: Record<string, Figure[]> = {};
    for (const [name, names] of Object.entries(old.scenarios ?? {})) {
      figuresOf[name] = old.figures.filter((f) => names.includes(f.name));
    }
    return { figuresOf, durations: old.durations ?? {} };
  } catch {
    return undefined;
  }
}

function printTable(results: Results, figures: Figure[]): void {
  const { machine } = results;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `outage-bot bench ${results.ranAt}: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}, scale ${results.scale}`,
  );
  out(
    `load average before ${results.load.before.join(' ')}, after ${results.load.after.join(' ')}`,
  );
  const rows = figures.map((f) => [
    f.name,
    `${f.value.toLocaleString('en-US')} ${f.unit}`,
    f.target ?? '',
    f.met === null ? '' : f.met ? 'met' : 'MISSED',
  ]);
  const header = ['figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  out(line(header));
  out(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) out(line(row));
  out(`durations (s): ${JSON.stringify(results.durations)}`);
}

main()
  // A client a scenario forgot to close must not keep the run alive after its table.
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
