import type { Figure } from './figure.js';

export interface ScenarioContext {
  /** 1 for the sizes the issue names; smaller (BENCH_SCALE) while developing a scenario. */
  scale: number;
  /** Progress lines, to stderr, so a slow scenario shows it is alive. */
  log: (line: string) => void;
}

/** One benchmark scenario: a row of the table in run.ts. */
export interface Scenario {
  name: string;
  about: string;
  run(ctx: ScenarioContext): Promise<Figure[]>;
}

export const scaled = (ctx: ScenarioContext, n: number, min = 1): number =>
  Math.max(min, Math.round(n * ctx.scale));
