-- A turn whose write is in doubt (sent, never answered), remembered next to the runner's keys after the
-- runner heard the apology, so that their next turn finds out whether it was applied even in a new session;
-- or, once the reply the runner missed has been given, marked as heard (so it is never given twice).
-- KEYS[1] the runner's in-doubt hash: request-id hash -> the version its write would make, or 'heard'.
-- ARGV[1] request-id hash, ARGV[2] that version ('heard' = its reply has been given), ARGV[3] TTL s,
-- ARGV[4] most entries kept.
-- A marker never overwrites (HSETNX): one that arrives late, after 'heard', changes nothing. One that
-- arrives after a later write changes nothing either: read.lua acts on it only while the runner's version
-- is still the one this request's write made. Returns 1.
if ARGV[2] == 'heard' then
  redis.call('HSET', KEYS[1], ARGV[1], 'heard')
else
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then redis.call('DEL', KEYS[1]) end
  redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
