-- One turn's read: the runner's state, its version and any reply already given for this request id.
-- KEYS[1] user hash, KEYS[2] recent-replies hash; ARGV[1] request-id hash.
-- Returns {version or false, state JSON or false, earlier reply or false}.
local user = redis.call('HMGET', KEYS[1], 'v', 'state')
local earlier = redis.call('HGET', KEYS[2], ARGV[1])
return {user[1], user[2], earlier}
