/**
 * Lua scripts that keep concurrent writers apart (redis-store.ts): leases and versioned writes.
 * Conventions (KEYS[1] as a real key under the prefix) are in scripts.ts.
 */

/** KEYS: lease key. ARGV: owner, ttlMs. The holder renews; anyone takes a free lease. */
export const TRY_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
`;

/**
 * KEYS: lease key, state key. ARGV: owner, ttl. TRY_LEASE, then the state if the lease is held:
 * nil when another holds it, else { state or nil }.
 */
export const BEGIN_POLL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
elseif not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return false
end
return { redis.call('GET', KEYS[2]) }
`;

/** KEYS: lease key. ARGV: owner. */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * KEYS: versioned doc hash (v, body). ARGV: expected version, JSON, ttl ms or ''. Returns 1 when
 * written, 0 when the stored version (0 for none) is not the expected one.
 */
export const PUT_VERSIONED = `
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', current + 1, 'body', ARGV[2])
if ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
return 1
`;
