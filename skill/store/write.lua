-- One turn's compare-and-set write: the new state only if the version is unchanged, plus this request's
-- id (and reply) remembered for the replay window, in one atomic step.
-- KEYS[1] the runner's hash (the account's, or a voice profile's), KEYS[2] recent-requests hash:
-- request-id hash -> "<expiry s> <reply>" (the reply is dropped, the id kept, once newer ones push it out of
-- the last ARGV[8]), and '_order': '<id>:<expiry s>' of each, oldest first (so the window is trimmed without
-- reading the entries, replies and all; an id listed bare, as before, has its expiry read from its entry).
-- KEYS[3] the account's set of voice profiles, KEYS[4] the account's in-doubt hash (doubt.lua): this
-- runner's markers and the 'heard' ones are cleared by its every write (a newer version makes them moot;
-- another runner's stay, for its next turn), KEYS[5] (a voice profile's turn only) the account's hash.
-- ARGV[1] expected version ('' when the runner had none), ARGV[2] new state JSON ('' = forget the runner),
-- ARGV[3] request-id hash, ARGV[4] reply, ARGV[5] now (the app's clock, s), ARGV[6] replay window s,
-- ARGV[7] user TTL s, ARGV[8] replies kept, ARGV[9] most ids kept, ARGV[10] deadline in server time s
-- (0 = none: past it the caller has given up, so nothing is written), ARGV[11] '1' = touch an entry found
-- (a write of its own, so a WAITAOF after this script covers the earlier write too), ARGV[12] the voice
-- profile's hash ('' on the account's turn), ARGV[13] '1' = keep reading the account for this profile (its
-- 'ask' field), ARGV[14] the account's expected version when its state is written too ('-' = not written),
-- ARGV[15] the account's new state JSON, ARGV[16] the runner's history JSON ('-' = unchanged: not written),
-- ARGV[17] the account's history JSON, ARGV[18] the number of voice profiles the turn was computed for ('' =
-- any), ARGV[19] the runner's new version, ARGV[20] the account's new version (the caller picks versions:
-- a runner's first starts from the clock in microseconds, so a key deleted and made again never repeats
-- a version an old session may still hold). ARGV[12..20] may be absent (a replay's confirmation).
-- Returns {1} written, {0} a version (or the number of voice profiles) moved on (caller retries), {2, reply}
-- this request was applied already, {-1} too late, {-2} too many requests in the replay window.
local now = tonumber(ARGV[5])
local person, ask, account_version = ARGV[12] or '', ARGV[13] or '0', ARGV[14] or '-'
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
if (ARGV[18] or '') ~= '' and redis.call('SCARD', KEYS[3]) ~= tonumber(ARGV[18]) then return {0} end
local account_current = false
if account_version ~= '-' then
  account_current = redis.call('HGET', KEYS[5], 'v')
  if (account_current or '') ~= account_version then return {0} end
end
local kept = {}  -- '<id>:<expiry>' of the ids still in the window, oldest first
for id, at in string.gmatch(redis.call('HGET', KEYS[2], '_order') or '', '(%x+):?(%d*)') do
  local expiry = tonumber(at)
  if not expiry then  -- an id listed before '_order' held expiries: its entry has it (and its reply, KBs)
    local e = redis.call('HGET', KEYS[2], id)
    expiry = e and tonumber(string.match(e, '^(%d+) '))
  end
  if expiry and expiry >= now then kept[#kept + 1] = string.format('%s:%d', id, expiry) else redis.call('HDEL', KEYS[2], id) end
end
if #kept >= tonumber(ARGV[9]) then return {-2} end
if ARGV[2] == '' and person == '' then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[4])
  return {1}
end
if ARGV[2] == '' then  -- a voice profile's own data: gone, the account's and the others' untouched
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[3], person)
else
  redis.call('HSET', KEYS[1], 'v', ARGV[19], 'state', ARGV[2])
  if ARGV[16] ~= '-' then redis.call('HSET', KEYS[1], 'history', ARGV[16]) end
  if ask == '1' then redis.call('HSET', KEYS[1], 'ask', '1') else redis.call('HDEL', KEYS[1], 'ask') end
  redis.call('EXPIRE', KEYS[1], ARGV[7])
  if person ~= '' then
    redis.call('SADD', KEYS[3], person)
    redis.call('EXPIRE', KEYS[3], ARGV[7])
  end
end
if account_version ~= '-' then
  redis.call('HSET', KEYS[5], 'v', ARGV[20], 'state', ARGV[15], 'history', ARGV[17])
  redis.call('EXPIRE', KEYS[5], ARGV[7])
end
local mine = KEYS[1] .. ' '
local marks = redis.call('HGETALL', KEYS[4])
for i = 1, #marks, 2 do
  local mark = marks[i + 1]  -- 'heard' is moot too: a marker landing after this write no longer matches
  if mark == 'heard' or string.sub(mark, 1, #mine) == mine then redis.call('HDEL', KEYS[4], marks[i]) end
end
local expiry = string.format('%d', math.ceil(now + tonumber(ARGV[6])))
kept[#kept + 1] = ARGV[3] .. ':' .. expiry
redis.call('HSET', KEYS[2], ARGV[3], expiry .. ' ' .. ARGV[4], '_order', table.concat(kept, ' '))
local stale = kept[#kept - tonumber(ARGV[8])]
if stale then
  stale = string.match(stale, '^%x+')
  local e = redis.call('HGET', KEYS[2], stale)
  if e then redis.call('HSET', KEYS[2], stale, string.match(e, '^%d+ ')) end
end
redis.call('EXPIRE', KEYS[2], ARGV[6])
return {1}
