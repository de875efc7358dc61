-- One turn's read: the runner's state and version, any reply already given for this request id, whether
-- a request the runner never heard answered was applied after all, and the server's clock.
-- KEYS[1] user hash, KEYS[2] recent-requests hash (request-id hash -> "<expiry s> <reply or nothing>").
-- ARGV[1] now (the app's clock, s), ARGV[2] this request's hash, ARGV[3..] unconfirmed request hashes,
-- newest first.
-- Returns {version|nil, state JSON|nil, earlier reply|nil ('' = applied, reply no longer kept),
--          unconfirmed hash found|nil, its reply|nil, server time s, server time us}.
local now = tonumber(ARGV[1])
local function applied(id)
  local entry = redis.call('HGET', KEYS[2], id)
  if not entry then return false end
  local expiry, reply = string.match(entry, '^(%d+) (.*)$')
  if not expiry or tonumber(expiry) < now then return false end
  return reply
end
local user = redis.call('HMGET', KEYS[1], 'v', 'state')
local found, found_reply = false, false
for i = 3, #ARGV do
  found_reply = applied(ARGV[i])
  if found_reply then found = ARGV[i]; break end
end
local t = redis.call('TIME')
return {user[1], user[2], applied(ARGV[2]), found, found_reply, t[1], t[2]}
