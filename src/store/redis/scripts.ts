/**
 * Lua scripts of the Redis store. Each runs atomically, which is what makes claims safe across
 * replicas. KEYS[1] is always a real key under the store's prefix: under Redis Cluster it routes
 * the script, and a hash-tagged prefix (e.g. `{outage-bot}:`) keeps every key in that slot.
 * ARGV[1] is the prefix; the scripts build the other key names from it.
 *
 * Delivery bodies stay opaque strings: decoding JSON in Lua (cjson) would turn `[]` into `{}`.
 * Times are epoch milliseconds, formatted with %.0f so Lua never writes them in exponent form.
 */

export * from './guard-scripts.js';
export * from './outbox-scripts.js';
export * from './subscription-scripts.js';
