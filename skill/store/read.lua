-- One turn's read: the runner's state and version, any reply already given for this request id, whether
-- a request the runner never heard answered was applied after all, the server's clock, and the household:
-- how many voice profiles keep progress on the account, and (on a voice profile's turn, while it may still
-- claim the account's progress: it has no state yet, or its 'ask' field is set) the account's state.
-- KEYS[1] the runner's hash (the account's, or a voice profile's), KEYS[2] recent-requests hash
-- (request-id hash -> "<expiry s> <reply or nothing>"), KEYS[3] the account's set of voice profiles,
-- KEYS[4] (a voice profile's turn only) the account's hash.
-- ARGV[1] now (the app's clock, s), ARGV[2] this request's hash, ARGV[3..] unconfirmed request hashes,
-- newest first.
-- Returns {version|nil, state JSON|nil, earlier reply|nil ('' = applied, reply no longer kept),
--          unconfirmed hash found|nil, its reply|nil, server time s, server time us,
--          voice profiles, account version|nil, account state JSON|nil}.
local now = tonumber(ARGV[1])
local function applied(id)
  local entry = redis.call('HGET', KEYS[2], id)
  if not entry then return false end
  local expiry, reply = string.match(entry, '^(%d+) (.*)$')
  if not expiry or tonumber(expiry) < now then return false end
  return reply
end
local user = redis.call('HMGET', KEYS[1], 'v', 'state', 'ask')
local found, found_reply = false, false
for i = 3, #ARGV do
  found_reply = applied(ARGV[i])
  if found_reply then found = ARGV[i]; break end
end
local account = {false, false}
if KEYS[4] and (not user[2] or user[3]) then
  account = redis.call('HMGET', KEYS[4], 'v', 'state')
end
local t = redis.call('TIME')
return {user[1], user[2], applied(ARGV[2]), found, found_reply, t[1], t[2], redis.call('SCARD', KEYS[3]),
        account[1], account[2]}
