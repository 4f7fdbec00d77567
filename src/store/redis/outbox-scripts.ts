/**
 * Lua scripts of the Redis outbox (redis-outbox.ts): enqueue, claim, renew, complete, retry and
 * drop deliveries. Conventions (KEYS[1], ARGV[1] as the prefix, times) are in scripts.ts.
 */

/**
 * Drops one delivery's reference to its event (`ob:ev:<id>`, stored once however many channels
 * it goes to); the last reference deletes it.
 */
const RELEASE_EVENT = `
local function releaseEvent(p, ev)
  if not ev then return end
  local ekey = p .. 'ob:ev:' .. ev
  if redis.call('HINCRBY', ekey, 'refs', -1) <= 0 then redis.call('DEL', ekey) end
end
`;

/**
 * KEYS: ready zset. ARGV: prefix, serviceId or '', state JSON, fence lease name or '', fence
 * owner, signals service id or '', signals version read, signals JSON, then 10 per delivery: id,
 * thread, channel key, body (without the event), next, attempts, sent, event id, event JSON,
 * enqueued at. Returns -1, writing nothing, when the fence's lease is not held; -2 when the
 * signals hash (`signals:<service>`: v, body) is no longer at the version read. A commit that is
 * written releases the fence's lease with it, as the poll it guarded is over.
 */
export const ENQUEUE = `
local p = ARGV[1]
if ARGV[4] ~= '' and redis.call('GET', p .. 'lease:' .. ARGV[4]) ~= ARGV[5] then return -1 end
if ARGV[6] ~= '' then
  local skey = p .. 'signals:' .. ARGV[6]
  local v = tonumber(redis.call('HGET', skey, 'v') or '0')
  if v ~= tonumber(ARGV[7]) then return -2 end
  redis.call('HSET', skey, 'v', v + 1, 'body', ARGV[8])
end
if ARGV[4] ~= '' then redis.call('DEL', p .. 'lease:' .. ARGV[4]) end
if ARGV[2] ~= '' then redis.call('SET', p .. 'state:' .. ARGV[2], ARGV[3]) end
local added = 0
for i = 9, #ARGV, 10 do
  local id, thread, ck = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local dkey = p .. 'ob:d:' .. id
  if redis.call('EXISTS', dkey) == 0 and redis.call('EXISTS', p .. 'ob:done:' .. id) == 0 then
    redis.call('HSET', dkey, 'body', ARGV[i + 3], 'thread', thread, 'ck', ck,
      'next', ARGV[i + 4], 'attempts', ARGV[i + 5], 'err', '', 'sent', ARGV[i + 6], 'ev', ARGV[i + 7])
    local ekey = p .. 'ob:ev:' .. ARGV[i + 7]
    if redis.call('HINCRBY', ekey, 'refs', 1) == 1 then redis.call('HSET', ekey, 'body', ARGV[i + 8]) end
    if redis.call('RPUSH', p .. 'ob:t:' .. thread, id) == 1 then
      redis.call('ZADD', KEYS[1], ARGV[i + 4], thread)
    end
    redis.call('SADD', p .. 'ob:ch:' .. ck, thread)
    redis.call('SADD', p .. 'ob:pending', id)
    redis.call('ZADD', p .. 'ob:age', ARGV[i + 9], id)
    added = added + 1
  end
end
return added
`;

/**
 * KEYS: ready zset. ARGV: prefix, owner, now, limit, leaseMs, platform filter mode ('', 'only',
 * 'except'), then the platforms it names; a thread's platform is its channel key's first part.
 * A leased thread's score moves to the lease's end, out of the ready range, so the scan below
 * rarely walks over leased threads; the lease key (PX) is still the authority.
 */
export const CLAIM = `
local p, owner = ARGV[1], ARGV[2]
local now, limit, leaseMs = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local out, taken, offset = {}, 0, 0
local page = math.max(limit, 32)
local mode, named = ARGV[6], {}
for i = 7, #ARGV do named[ARGV[i]] = true end
local function wanted(thread)
  if mode == '' then return true end
  local platform = string.match(thread, '|([^|:]*):[^|]*$')
  if mode == 'only' then return platform ~= nil and named[platform] == true end
  return platform == nil or named[platform] ~= true
end
while taken < limit do
  local threads = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', offset, page)
  if #threads == 0 then break end
  local left = 0
  for _, thread in ipairs(threads) do
    if taken >= limit then break end
    -- Another platform's thread is left in place for its own claim loop.
    if wanted(thread) then
      local leaseKey = p .. 'ob:lease:' .. thread
      local id = redis.call('LINDEX', p .. 'ob:t:' .. thread, 0)
      if not id then
        redis.call('ZREM', KEYS[1], thread)
        left = left + 1
      elseif redis.call('EXISTS', leaseKey) == 0 then
        local d = redis.call('HMGET', p .. 'ob:d:' .. id, 'body', 'attempts', 'next', 'err', 'sent', 'ev')
        if d[1] then
          redis.call('SET', leaseKey, owner, 'PX', leaseMs)
          redis.call('ZADD', KEYS[1], string.format('%.0f', now + leaseMs), thread)
          left = left + 1
          taken = taken + 1
          out[#out + 1] = id
          out[#out + 1] = d[1]
          out[#out + 1] = d[2]
          out[#out + 1] = d[3]
          out[#out + 1] = d[4]
          out[#out + 1] = d[5] or ''
          out[#out + 1] = d[6] and (redis.call('HGET', p .. 'ob:ev:' .. d[6], 'body') or '') or ''
        else
          -- A head without its body can only come from a half-finished manual cleanup: skip it.
          redis.call('LPOP', p .. 'ob:t:' .. thread)
          redis.call('SREM', p .. 'ob:pending', id)
          redis.call('ZREM', p .. 'ob:age', id)
        end
      end
    end
  end
  offset = offset + #threads - left
end
return out
`;

/**
 * KEYS: ready zset. ARGV: prefix, id, thread, owner, leaseMs. Returns 1 when renewed.
 * The ready score was set in the claimer's clock (now + lease); it moves by the same amount the
 * lease is extended, so the thread stays out of the ready range without mixing clocks.
 */
export const RENEW = `
local p, id, thread, owner = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local leaseMs = tonumber(ARGV[5])
local leaseKey = p .. 'ob:lease:' .. thread
if redis.call('GET', leaseKey) ~= owner then return 0 end
if redis.call('LINDEX', p .. 'ob:t:' .. thread, 0) ~= id then return 0 end
local left = redis.call('PTTL', leaseKey)
if left <= 0 then return 0 end
redis.call('PEXPIRE', leaseKey, leaseMs)
local score = redis.call('ZSCORE', KEYS[1], thread)
if score then
  redis.call('ZADD', KEYS[1], 'XX', string.format('%.0f', tonumber(score) + leaseMs - left), thread)
end
return 1
`;

/** KEYS: ready zset. ARGV: prefix, id. */
export const MARK_ATTEMPT = `
local dkey = ARGV[1] .. 'ob:d:' .. ARGV[2]
if redis.call('EXISTS', dkey) == 0 then return 0 end
redis.call('HSET', dkey, 'sent', '1')
return redis.call('HINCRBY', dkey, 'attempts', 1)
`;

/** KEYS: ready zset. ARGV: prefix, id, thread, owner, deliveredTtlMs. */
export const COMPLETE = `${RELEASE_EVENT}
local p, id, thread, owner = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local dkey = p .. 'ob:d:' .. id
local ck, ev = unpack(redis.call('HMGET', dkey, 'ck', 'ev'))
releaseEvent(p, ev)
redis.call('DEL', dkey)
redis.call('SREM', p .. 'ob:pending', id)
redis.call('ZREM', p .. 'ob:age', id)
redis.call('SET', p .. 'ob:done:' .. id, '1', 'PX', ARGV[5])
local tkey = p .. 'ob:t:' .. thread
redis.call('LREM', tkey, 1, id)
local leaseKey = p .. 'ob:lease:' .. thread
if redis.call('GET', leaseKey) == owner then redis.call('DEL', leaseKey) end
local head = redis.call('LINDEX', tkey, 0)
if head then
  redis.call('ZADD', KEYS[1], redis.call('HGET', p .. 'ob:d:' .. head, 'next') or '0', thread)
else
  redis.call('ZREM', KEYS[1], thread)
  if ck then redis.call('SREM', p .. 'ob:ch:' .. ck, thread) end
end
return 1
`;

/**
 * KEYS: ready zset. ARGV: prefix, id, thread, owner, nextMs, error, attempts, sent ('1', '0', or ''
 * for unchanged). Attempts only grow: a send already counted by MARK_ATTEMPT is not counted twice.
 * A live lease of another owner means it took the delivery over; its outcome wins.
 */
export const RETRY = `
local p, id, thread, owner = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local dkey = p .. 'ob:d:' .. id
if redis.call('EXISTS', dkey) == 0 then return 0 end
local leaseKey = p .. 'ob:lease:' .. thread
local holder = redis.call('GET', leaseKey)
if holder and holder ~= owner then return 0 end
redis.call('HSET', dkey, 'next', ARGV[5], 'err', ARGV[6])
local attempts = tonumber(ARGV[7])
if attempts > (tonumber(redis.call('HGET', dkey, 'attempts')) or 0) then
  redis.call('HSET', dkey, 'attempts', ARGV[7])
end
if ARGV[8] ~= '' then redis.call('HSET', dkey, 'sent', ARGV[8]) end
redis.call('DEL', leaseKey)
if redis.call('LINDEX', p .. 'ob:t:' .. thread, 0) == id then
  redis.call('ZADD', KEYS[1], ARGV[5], thread)
end
return 1
`;

/** KEYS: ready zset. ARGV: prefix, channelKey, deliveredTtlMs. Dropped ids count as delivered. */
export const DROP_CHANNEL = `${RELEASE_EVENT}
local p = ARGV[1]
local chKey = p .. 'ob:ch:' .. ARGV[2]
local dropped = 0
for _, thread in ipairs(redis.call('SMEMBERS', chKey)) do
  local tkey = p .. 'ob:t:' .. thread
  for _, id in ipairs(redis.call('LRANGE', tkey, 0, -1)) do
    releaseEvent(p, redis.call('HGET', p .. 'ob:d:' .. id, 'ev'))
    redis.call('DEL', p .. 'ob:d:' .. id)
    redis.call('SREM', p .. 'ob:pending', id)
    redis.call('ZREM', p .. 'ob:age', id)
    redis.call('SET', p .. 'ob:done:' .. id, '1', 'PX', ARGV[3])
    dropped = dropped + 1
  end
  redis.call('DEL', tkey, p .. 'ob:lease:' .. thread)
  redis.call('ZREM', KEYS[1], thread)
end
redis.call('DEL', chKey)
return dropped
`;
