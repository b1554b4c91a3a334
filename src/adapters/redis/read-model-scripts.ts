/**
 * Lua scripts for the Redis read-model store. Each runs atomically on the server; every key a script
 * touches shares the namespace's hash tag with KEYS[1], so it stays on one slot on Redis Cluster.
 */

/**
 * COMMIT: KEYS[1] = the stream's checkpoint key; ARGV = expect, new checkpoint, namespace prefix, and
 * the writes as one JSON array of strings, each write `op, key, ...` (hset/hdel carry a field count).
 * One argument rather than hundreds: the client builds it with one native JSON.stringify instead of
 * measuring and concatenating every argument, and the server decodes it in C (cjson). Applies the
 * writes and the new checkpoint only if the stored checkpoint equals `expect`; returns -1, or the
 * stored checkpoint.
 */
export const COMMIT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= tonumber(ARGV[1]) then return current end
local prefix = ARGV[3]
local w = cjson.decode(ARGV[4])
local i = 1
local n = #w
while i <= n do
  local op = w[i]
  local key = prefix .. w[i + 1]
  if op == 'hset' then
    local count = tonumber(w[i + 2])
    redis.call('HSET', key, unpack(w, i + 3, i + 2 + 2 * count))
    i = i + 3 + 2 * count
  elseif op == 'hdel' then
    local count = tonumber(w[i + 2])
    redis.call('HDEL', key, unpack(w, i + 3, i + 2 + count))
    i = i + 3 + count
  elseif op == 'del' then
    redis.call('DEL', key)
    i = i + 2
  elseif op == 'zadd' then
    redis.call('ZADD', key, w[i + 2], w[i + 3])
    i = i + 4
  elseif op == 'zrem' then
    redis.call('ZREM', key, w[i + 2])
    i = i + 3
  elseif op == 'set' then
    redis.call('SET', key, w[i + 2])
    i = i + 3
  elseif op == 'incr' then
    redis.call('INCRBY', key, w[i + 2])
    i = i + 3
  elseif op == 'hincr' then
    redis.call('HINCRBY', key, w[i + 2], w[i + 3])
    i = i + 4
  elseif op == 'hincrif' then
    local has = redis.call('HEXISTS', prefix .. w[i + 4], w[i + 5]) == 1
    if has == (w[i + 6] == '1') then redis.call('HINCRBY', key, w[i + 2], w[i + 3]) end
    i = i + 7
  else
    return redis.error_reply('unknown read-model op ' .. tostring(op))
  end
end
redis.call('SET', KEYS[1], ARGV[2])
return -1`;

/**
 * RANGE: KEYS[1] = a sorted set; ARGV = order ('desc'|'asc'), the near bound, the far bound, the
 * cursor score ('' for none), the cursor member, limit. Members with equal scores are ordered by
 * bytes (Redis's own order), so (score, member) is a total order; skips everything up to and
 * including the cursor. Returns member, score, member, score, ...
 */
export const RANGE = `
local key, desc = KEYS[1], ARGV[1] == 'desc'
local near, far = ARGV[2], ARGV[3]
local hasCursor = ARGV[4] ~= ''
local cursorScore, cursorMember = tonumber(ARGV[4]), ARGV[5]
local limit = tonumber(ARGV[6])
local out = {}
local offset = 0
local chunk = limit + 8
while #out < 2 * limit do
  local items
  if desc then
    items = redis.call('ZRANGE', key, near, far, 'BYSCORE', 'REV', 'LIMIT', offset, chunk, 'WITHSCORES')
  else
    items = redis.call('ZRANGE', key, near, far, 'BYSCORE', 'LIMIT', offset, chunk, 'WITHSCORES')
  end
  if #items == 0 then break end
  for i = 1, #items, 2 do
    local member, score = items[i], items[i + 1]
    local skip = false
    if hasCursor and tonumber(score) == cursorScore then
      if desc then skip = member >= cursorMember else skip = member <= cursorMember end
    end
    if not skip then
      out[#out + 1] = member
      out[#out + 1] = score
      if #out >= 2 * limit then break end
    end
  end
  if #items < 2 * chunk then break end
  offset = offset + chunk
end
return out`;

/** SWITCH: KEYS[1] = the active-version pointer; ARGV = expected current value ('' for none), next. */
export const SWITCH = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;
