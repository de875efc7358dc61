-- One turn's read: the runner's state and version, any reply already given for this request id, whether
-- a request the runner never heard answered was applied after all, the server's clock, and the household:
-- how many voice profiles keep progress on the account, and (on a voice profile's turn, while it may still
-- claim the account's progress: it has no state yet, or its 'ask' field is set) the account's state.
-- KEYS[1] the runner's hash (the account's, or a voice profile's), KEYS[2] recent-requests hash
-- (request-id hash -> "<expiry s> <reply or nothing>"), KEYS[3] the account's set of voice profiles,
-- KEYS[4] the account's in-doubt hash (request-id hash -> "<runner's key> <the version its write would
-- make>", or 'heard'; doubt.lua), KEYS[5] (a voice profile's turn only) the account's hash.
-- ARGV[1] now (the app's clock, s), ARGV[2] this request's hash, ARGV[3..] unconfirmed request hashes from
-- the session, newest first.
-- An unconfirmed request is one from the session that was applied, or one in KEYS[4] that was applied and
-- made this runner's current version (so nothing has been written since: its reply is the last one due).
-- Returns {version|nil, state JSON|nil, earlier reply|nil ('' = applied, reply no longer kept),
--          unconfirmed hash found|nil, its reply|nil, server time s, server time us,
--          voice profiles, account version|nil, account state JSON|nil,
--          1 when this request is itself in KEYS[4] and not yet heard, else 0,
--          history JSON|nil, account history JSON|nil} (a state stored before history had its own field
--          holds it inside the state JSON).
local now = tonumber(ARGV[1])
local function applied(id)
  local entry = redis.call('HGET', KEYS[2], id)
  if not entry then return false end
  local expiry, reply = string.match(entry, '^(%d+) (.*)$')
  if not expiry or tonumber(expiry) < now then return false end
  return reply
end
local user = redis.call('HMGET', KEYS[1], 'v', 'state', 'ask', 'history')
local found, found_reply = false, false
for i = 3, #ARGV do
  found_reply = applied(ARGV[i])
  if found_reply then found = ARGV[i]; break end
end
if not found and user[1] then
  local marks = redis.call('HGETALL', KEYS[4])
  local mine = KEYS[1] .. ' ' .. user[1]
  for i = 1, #marks, 2 do
    if marks[i + 1] == mine then
      found_reply = applied(marks[i])
      if found_reply then found = marks[i]; break end
    end
  end
end
local earlier = applied(ARGV[2])
local marked = 0
if earlier then
  local mark = redis.call('HGET', KEYS[4], ARGV[2])
  if mark and mark ~= 'heard' then marked = 1 end
end
local account = {false, false, false}
if KEYS[5] and (not user[2] or user[3]) then
  account = redis.call('HMGET', KEYS[5], 'v', 'state', 'history')
end
local t = redis.call('TIME')
return {user[1], user[2], earlier, found, found_reply, t[1], t[2], redis.call('SCARD', KEYS[3]),
        account[1], account[2], marked, user[4], account[3]}
