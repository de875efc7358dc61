-- One turn's compare-and-set write: the new state only if the version is unchanged, plus the reply
-- remembered for replays, in one atomic step.
-- KEYS[1] user hash, KEYS[2] recent-replies hash (request-id hash -> reply, and '_order': those hashes,
-- oldest first, so only the oldest is dropped past the limit and a retry of a recent turn is always found).
-- ARGV[1] expected version ('' when the runner had none), ARGV[2] new state JSON ('' = forget the runner),
-- ARGV[3] request-id hash, ARGV[4] reply to remember, ARGV[5] replay window s, ARGV[6] user TTL s,
-- ARGV[7] recent limit. Returns 1 when written, 0 when the version moved on (caller retries).
local current = redis.call('HGET', KEYS[1], 'v')
if (current or '') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
redis.call('HSET', KEYS[1], 'v', (tonumber(current) or 0) + 1, 'state', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[6])
local order = {}
for id in string.gmatch(redis.call('HGET', KEYS[2], '_order') or '', '%x+') do order[#order + 1] = id end
order[#order + 1] = ARGV[3]
while #order > tonumber(ARGV[7]) do redis.call('HDEL', KEYS[2], table.remove(order, 1)) end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4], '_order', table.concat(order, ' '))
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1
