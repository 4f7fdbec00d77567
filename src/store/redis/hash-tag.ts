/**
 * True when every key starting with `prefix` hashes by a tag inside the prefix (Redis Cluster
 * hashes the text between the first `{` and the next `}`, if not empty), so all share one slot.
 * The store's scripts touch many keys at once, which a Cluster allows only within one slot.
 */
export function prefixHasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  return open >= 0 && prefix.indexOf('}', open + 1) > open + 1;
}
