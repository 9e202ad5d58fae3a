-- The progression decision lease. KEYS[1]: the lease; ARGV[1]: this instance's id;
-- ARGV[2]: the lease's time to live in milliseconds.
-- The holder extends its own lease (compare-and-extend); anyone takes a lease nobody
-- holds (SET NX PX: the key expires when its holder stops renewing it); a lease someone
-- else holds is left alone. Answers the holder afterwards.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return holder
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
  return ARGV[1]
end
return holder
