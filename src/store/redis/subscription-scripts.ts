/**
 * Lua scripts of subscriptions and chat-added services (redis-store.ts). Conventions (KEYS[1],
 * ARGV[1] as the prefix) are in scripts.ts.
 */

/** KEYS: services set. ARGV: prefix, serviceId, channelKey, JSON. Returns 1 when created. */
export const PUT_SUBSCRIPTION = `
local p = ARGV[1]
local created = redis.call('HSET', p .. 'sub:svc:' .. ARGV[2], ARGV[3], ARGV[4])
redis.call('HSET', p .. 'sub:ch:' .. ARGV[3], ARGV[2], ARGV[4])
redis.call('SADD', KEYS[1], ARGV[2])
redis.call('PERSIST', p .. 'chatsvc:' .. ARGV[2])
return created
`;

/**
 * KEYS: services set. ARGV: prefix, serviceId, channelKey, chat service grace ms. Returns 1 when
 * it existed. The last subscription gone, a chat-added page expires after the grace period.
 */
export const REMOVE_SUBSCRIPTION = `
local p = ARGV[1]
local svcKey = p .. 'sub:svc:' .. ARGV[2]
local removed = redis.call('HDEL', svcKey, ARGV[3])
redis.call('HDEL', p .. 'sub:ch:' .. ARGV[3], ARGV[2])
if redis.call('HLEN', svcKey) == 0 then
  redis.call('SREM', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', p .. 'chatsvc:' .. ARGV[2], ARGV[4])
end
return removed
`;

/**
 * KEYS: chat service id set. ARGV: prefix, serviceId, JSON, grace ms. A page nobody subscribes
 * to yet expires after the grace period; the first subscription persists it.
 */
export const PUT_CHAT_SERVICE = `
local p = ARGV[1]
local key = p .. 'chatsvc:' .. ARGV[2]
redis.call('SET', key, ARGV[3])
if redis.call('EXISTS', p .. 'sub:svc:' .. ARGV[2]) == 0 then redis.call('PEXPIRE', key, ARGV[4]) end
redis.call('SADD', KEYS[1], ARGV[2])
return 1
`;

/** KEYS: chat service id set. ARGV: prefix, then ids: those whose record expired leave the set. */
export const PRUNE_CHAT_SERVICES = `
for i = 2, #ARGV do
  if redis.call('EXISTS', ARGV[1] .. 'chatsvc:' .. ARGV[i]) == 0 then redis.call('SREM', KEYS[1], ARGV[i]) end
end
return 1
`;
