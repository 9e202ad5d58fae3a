-- Adds one flush of an instance's evidence counts into the shared time buckets, all or
-- nothing. KEYS: one hash per route and bucket. ARGV[1]: the keys' time to live in
-- seconds; then, for each key in turn, the number n of fields followed by n pairs
-- (field, increment).
local ttl = tonumber(ARGV[1])
local a = 2
for _, key in ipairs(KEYS) do
  local n = tonumber(ARGV[a])
  a = a + 1
  for _ = 1, n do
    redis.call('HINCRBY', key, ARGV[a], ARGV[a + 1])
    a = a + 2
  end
  redis.call('EXPIRE', key, ttl)
end
return #KEYS
