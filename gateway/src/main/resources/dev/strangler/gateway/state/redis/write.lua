-- One override change, all or nothing (RedisOverrideStore).
-- KEYS: overrides hash, route-revisions hash, revision string, audit stream
-- ARGV: route id, expected route revision, override JSON ('' clears), audit entry JSON,
--       audit stream bound, changes channel
-- Answers {'1', new route revision, new store revision}
--      or {'0', current route revision, current override JSON or ''} when the route moved on.
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if current ~= tonumber(ARGV[2]) then
  return {'0', tostring(current), redis.call('HGET', KEYS[1], ARGV[1]) or ''}
end
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
end
local routeRevision = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
local revision = redis.call('INCR', KEYS[3])
redis.call('XADD', KEYS[4], 'MAXLEN', ARGV[5], '*', 'entry', ARGV[4])
redis.call('PUBLISH', ARGV[6], tostring(revision))
return {'1', tostring(routeRevision), tostring(revision)}
