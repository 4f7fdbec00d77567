/** Exponential backoff with full jitter, so many failing sources do not retry in lockstep. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export function backoffDelay(
  failures: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
