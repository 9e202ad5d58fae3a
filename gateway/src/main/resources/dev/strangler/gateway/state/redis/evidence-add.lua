-- Adds one flush of an instance's evidence into the shared time buckets and its recent
-- mismatches into the capped lists, all or nothing. KEYS: for each route in turn, the
-- counts hash of its bucket, the differing-paths hash of its bucket and its list of
-- mismatches. ARGV[1]: the buckets' time to live in seconds; ARGV[2]: most paths in one
-- paths hash (a new path of a full hash is not counted); ARGV[3]: most entries in a
-- list; ARGV[4]: a list's time to live in seconds. Then, for each route in turn: the
-- number n of counts followed by n pairs (field, increment); the number m of paths
-- followed by m pairs (path, increment); the number d of mismatches followed by d
-- entries, oldest first.
local ttl = tonumber(ARGV[1])
local maxPaths = tonumber(ARGV[2])
local maxDiffs = tonumber(ARGV[3])
local diffsTtl = tonumber(ARGV[4])
local a = 5
for k = 1, #KEYS, 3 do
  local counts, paths, diffs = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local n = tonumber(ARGV[a])
  a = a + 1
  for _ = 1, n do
    redis.call('HINCRBY', counts, ARGV[a], ARGV[a + 1])
    a = a + 2
  end
  redis.call('EXPIRE', counts, ttl)
  local m = tonumber(ARGV[a])
  a = a + 1
  for _ = 1, m do
    if redis.call('HEXISTS', paths, ARGV[a]) == 1 or redis.call('HLEN', paths) < maxPaths then
      redis.call('HINCRBY', paths, ARGV[a], ARGV[a + 1])
    end
    a = a + 2
  end
  if m > 0 then
    redis.call('EXPIRE', paths, ttl)
  end
  local d = tonumber(ARGV[a])
  a = a + 1
  for _ = 1, d do
    redis.call('LPUSH', diffs, ARGV[a])
    a = a + 1
  end
  if d > 0 then
    redis.call('LTRIM', diffs, 0, maxDiffs - 1)
    redis.call('EXPIRE', diffs, diffsTtl)
  end
end
return #KEYS / 3
