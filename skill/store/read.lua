-- One turn's read: the runner's state and version, any reply already given for this request id, whether
-- a request the runner never heard answered was applied after all, and the server's clock.
-- KEYS[1] user hash, KEYS[2] recent-requests hash (request-id hash -> "<expiry s> <reply or nothing>"),
-- KEYS[3] in-doubt hash (request-id hash -> the version its write would make, or 'heard'; doubt.lua).
-- ARGV[1] now (the app's clock, s), ARGV[2] this request's hash, ARGV[3..] unconfirmed request hashes from
-- the session, newest first.
-- An unconfirmed request is one from the session that was applied, or one in KEYS[3] that was applied and
-- made the runner's current version (so nothing has been written since: its reply is the last one due).
-- Returns {version|nil, state JSON|nil, earlier reply|nil ('' = applied, reply no longer kept),
--          unconfirmed hash found|nil, its reply|nil, server time s, server time us,
--          1 when this request is itself in KEYS[3] and not yet heard, else 0}.
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
if not found and user[1] then
  local marks = redis.call('HGETALL', KEYS[3])
  for i = 1, #marks, 2 do
    if marks[i + 1] == user[1] then
      found_reply = applied(marks[i])
      if found_reply then found = marks[i]; break end
    end
  end
end
local earlier = applied(ARGV[2])
local marked = 0
if earlier then
  local mark = redis.call('HGET', KEYS[3], ARGV[2])
  if mark and mark ~= 'heard' then marked = 1 end
end
local t = redis.call('TIME')
return {user[1], user[2], earlier, found, found_reply, t[1], t[2], marked}
