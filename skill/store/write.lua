-- One turn's compare-and-set write: the new state only if the version is unchanged, plus this request's
-- id (and reply) remembered for the replay window, in one atomic step.
-- KEYS[1] user hash, KEYS[2] recent-requests hash: request-id hash -> "<expiry s> <reply>" (the reply is
-- dropped, the id kept, once newer ones push it out of the last ARGV[8]), and '_order': the ids, oldest first;
-- KEYS[3] the in-doubt hash (doubt.lua): cleared by every write (a newer version makes its markers moot).
-- ARGV[1] expected version ('' when the runner had none), ARGV[2] new state JSON ('' = forget the runner),
-- ARGV[3] request-id hash, ARGV[4] reply, ARGV[5] now (the app's clock, s), ARGV[6] replay window s,
-- ARGV[7] user TTL s, ARGV[8] replies kept, ARGV[9] most ids kept, ARGV[10] deadline in server time s
-- (0 = none: past it the caller has given up, so nothing is written), ARGV[11] '1' = touch an entry found
-- (a write of its own, so a WAITAOF after this script covers the earlier write too).
-- Returns {1} written, {0} version moved on (caller retries), {2, reply} this request was applied
-- already, {-1} too late, {-2} too many requests in the replay window.
local now = tonumber(ARGV[5])
local entry = redis.call('HGET', KEYS[2], ARGV[3])
if entry then
  local expiry, reply = string.match(entry, '^(%d+) (.*)$')
  if expiry and tonumber(expiry) >= now then
    if ARGV[11] == '1' then redis.call('HSET', KEYS[2], ARGV[3], entry) end
    return {2, reply}
  end
end
local deadline = tonumber(ARGV[10])
if deadline > 0 then
  local t = redis.call('TIME')
  if tonumber(t[1]) + tonumber(t[2]) / 1000000 > deadline then return {-1} end
end
local current = redis.call('HGET', KEYS[1], 'v')
if (current or '') ~= ARGV[1] then return {0} end
local kept = {}
for id in string.gmatch(redis.call('HGET', KEYS[2], '_order') or '', '%x+') do
  local e = redis.call('HGET', KEYS[2], id)
  local expiry = e and tonumber(string.match(e, '^(%d+) '))
  if expiry and expiry >= now then kept[#kept + 1] = id else redis.call('HDEL', KEYS[2], id) end
end
if #kept >= tonumber(ARGV[9]) then return {-2} end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
  return {1}
end
redis.call('HSET', KEYS[1], 'v', (tonumber(current) or 0) + 1, 'state', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[7])
redis.call('DEL', KEYS[3])
kept[#kept + 1] = ARGV[3]
local expiry = string.format('%d', math.ceil(now + tonumber(ARGV[6])))
redis.call('HSET', KEYS[2], ARGV[3], expiry .. ' ' .. ARGV[4], '_order', table.concat(kept, ' '))
local stale = kept[#kept - tonumber(ARGV[8])]
if stale then
  local e = redis.call('HGET', KEYS[2], stale)
  if e then redis.call('HSET', KEYS[2], stale, string.match(e, '^%d+ ')) end
end
redis.call('EXPIRE', KEYS[2], ARGV[6])
return {1}
