/** Small formatting helpers shared by every renderer. */

/**
 * The one way a duration is written, on every platform and in command replies: "1h 12m",
 * "3d 4h", "45s". The `units` largest units are shown (two by default, enough for "lasted …";
 * more where the exact figure matters, as a mute's length), zero ones left out.
 */
export function formatDuration(ms: number, units = 2): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.round(ms / 1000)) : 0;
  const parts: [string, number][] = [
    ['d', Math.floor(total / 86_400)],
    ['h', Math.floor((total % 86_400) / 3_600)],
    ['m', Math.floor((total % 3_600) / 60)],
    ['s', total % 60],
  ];
  const first = parts.findIndex(([, value]) => value > 0);
  if (first === -1) return '0s';
  return parts
    .slice(first, first + units)
    .filter(([, value]) => value > 0)
    .map(([unit, value]) => `${value}${unit}`)
    .join(' ');
}

/** "Investigating", "In progress": a status as people write it. */
export function humanStatus(status: string): string {
  const words = status.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Duration of a subject that has resolved, or undefined while it is open. */
export function lastedMs(subject: { startedAt: string; resolvedAt?: string }): number | undefined {
  if (!subject.resolvedAt) return undefined;
  return Date.parse(subject.resolvedAt) - Date.parse(subject.startedAt);
}
