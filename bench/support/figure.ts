/**
 * One line of the bench table. `met` is derived from the target when the figure is made, never
 * typed in; a figure without a target (a baseline, a count for context) has `met: null`.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** `>= 2000`, `<= 1.1`, `= 0`; null when the figure is context for another. */
  target: string | null;
  met: boolean | null;
}

export type Target = { atLeast: number } | { atMost: number } | { exactly: number };

export function figure(name: string, value: number, unit: string, target?: Target): Figure {
  const rounded = round(value);
  if (!target) return { name, value: rounded, unit, target: null, met: null };
  if ('atLeast' in target) {
    return {
      name,
      value: rounded,
      unit,
      target: `>= ${target.atLeast}`,
      met: value >= target.atLeast,
    };
  }
  if ('atMost' in target) {
    return {
      name,
      value: rounded,
      unit,
      target: `<= ${target.atMost}`,
      met: value <= target.atMost,
    };
  }
  return {
    name,
    value: rounded,
    unit,
    target: `= ${target.exactly}`,
    met: value === target.exactly,
  };
}

/** Three significant digits are all a shared 2-core machine can vouch for. */
function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 3 - Math.ceil(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 4)));
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);
