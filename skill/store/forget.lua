-- Forget a whole account: its state, its replay record, its set of voice profiles and every voice profile's
-- state, in one atomic step (all on one Cluster slot: the keys share the account's hash tag).
-- KEYS[1] the account's hash, KEYS[2] recent-requests hash, KEYS[3] the set of voice profiles,
-- KEYS[4] the in-doubt hash, KEYS[5..] each voice profile's hash, as the caller read the set. ARGV[1..] those profiles' hashes.
-- Returns 1 when everything is deleted, 0 when the set holds a profile the caller did not list (a profile
-- added since it read the set: read again and retry).
local listed = {}
for i = 1, #ARGV do listed[ARGV[i]] = true end
for _, person in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if not listed[person] then return 0 end
end
redis.call('DEL', unpack(KEYS))
return 1
