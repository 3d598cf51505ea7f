-- Adds what an answered request used, atomically across replicas.
-- KEYS[1]: the rate window of the request (skipped when ARGV[5] is 0), KEYS[2]: the usage of its budget period.
-- ARGV: requests (non-zero only when usage counted while Redis was away is written back), prompt tokens,
-- completion tokens, cost in nano-USD, window TTL in ms, usage TTL in s.
local tokens = tonumber(ARGV[2]) + tonumber(ARGV[3])
if tonumber(ARGV[5]) > 0 then
  redis.call('HINCRBY', KEYS[1], 'tok', tokens)
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
redis.call('HINCRBY', KEYS[2], 'requests', ARGV[1])
redis.call('HINCRBY', KEYS[2], 'prompt_tokens', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'completion_tokens', ARGV[3])
local spent = redis.call('HINCRBY', KEYS[2], 'cost_nanos', ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[6])
return tostring(spent)
