/**
 * Lua scripts run atomically inside Redis. Each is loaded once (SCRIPT LOAD) and called by
 * its SHA; after a Redis restart flushed the script cache, the caller re-sends it (NOSCRIPT).
 */

/** INCRBY, then PEXPIRE when the counter has no expiry yet (the first increment's TTL stays). */
export const INCREMENT_SCRIPT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if ARGV[2] ~= '' and redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value
`;

/**
 * INCREMENT_SCRIPT over every key: ARGV holds each key's amount and TTL (or ''), in pairs.
 * Returns the new values in KEYS order.
 */
export const INCREMENT_MANY_SCRIPT = `
local values = {}
for index, key in ipairs(KEYS) do
  values[index] = redis.call('INCRBY', key, ARGV[index * 2 - 1])
  local ttl = ARGV[index * 2]
  if ttl ~= '' and redis.call('PTTL', key) < 0 then
    redis.call('PEXPIRE', key, ttl)
  end
end
return values
`;

/**
 * Compare-and-set. ARGV: [1] '1' when a value is expected, [2] the expected value,
 * [3] '1' to write ([4] the value, [5] the TTL in ms or '') or '0' to delete. Returns 1 when it wrote.
 */
export const COMPARE_AND_SET_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] == '1' then
  if ARGV[5] ~= '' then
    redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
  else
    redis.call('SET', KEYS[1], ARGV[4])
  end
else
  redis.call('DEL', KEYS[1])
end
return 1
`;
