/** Edit distance (insert, delete, substitute, adjacent swap), capped so long inputs stay cheap. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 4;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const prev = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * The candidates a mistyped word most likely meant: prefixes first ("unsub" -> unsubscribe),
 * then anything within two edits, nearest first.
 */
export function closestNames(input: string, candidates: readonly string[], max = 3): string[] {
  const word = input.toLowerCase();
  if (word.length === 0) return [];
  const scored = candidates
    .map((name) => {
      const lower = name.toLowerCase();
      if (lower.startsWith(word) || word.startsWith(lower)) return { name, score: 0 };
      return { name, score: editDistance(word, lower) };
    })
    .filter((c) => c.score <= Math.min(2, Math.max(1, Math.floor(word.length / 3))))
    .sort((x, y) => x.score - y.score);
  return scored.slice(0, max).map((c) => c.name);
}

/** "a", "a or b", "a, b or c". */
export const orList = (words: readonly string[]): string => joinWords(words, 'or');

/** "a", "a and b", "a, b and c". */
export const andList = (words: readonly string[]): string => joinWords(words, 'and');

function joinWords(words: readonly string[], conjunction: string): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}
