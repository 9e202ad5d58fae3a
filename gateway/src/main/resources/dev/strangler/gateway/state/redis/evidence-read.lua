-- Reads the evidence buckets of one route in one round trip. KEYS: for each bucket,
-- oldest first, its counts hash and its differing-paths hash. Answers, for each hash in
-- turn, the number n of fields followed by n pairs (field, count); n is 0 for a hash
-- nobody wrote or that expired.
local reply = {}
for _, key in ipairs(KEYS) do
  local fields = redis.call('HGETALL', key)
  reply[#reply + 1] = tostring(#fields / 2)
  for _, value in ipairs(fields) do
    reply[#reply + 1] = value
  end
end
return reply
