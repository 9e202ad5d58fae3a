-- Gives the progression decision lease up, only if this instance still holds it
-- (compare-and-delete): a lease that expired and was taken over is someone else's.
-- KEYS[1]: the lease; ARGV[1]: this instance's id. Answers 1 when released.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
