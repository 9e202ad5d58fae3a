-- The whole shared state at one revision (RedisOverrideStore).
-- KEYS: overrides hash, route-revisions hash, revision string
-- Answers {revision, n, route1, json1, ..., routeN, jsonN, routeA, revisionA, ...}
local reply = {redis.call('GET', KEYS[3]) or '0'}
local overrides = redis.call('HGETALL', KEYS[1])
table.insert(reply, tostring(#overrides / 2))
for _, v in ipairs(overrides) do table.insert(reply, v) end
for _, v in ipairs(redis.call('HGETALL', KEYS[2])) do table.insert(reply, v) end
return reply
