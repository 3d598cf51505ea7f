-- One admission check of a caller key, atomic across replicas.
-- KEYS[1]: the key's rate window (hash: req, tok), KEYS[2]: the key's usage in its budget period
-- (hash: requests, prompt_tokens, completion_tokens, cost_nanos).
-- ARGV: rpm, tpm, budget in nano-USD (-1 = unlimited each), window TTL in ms, usage TTL in s.
-- Returns "verdict requests tokens spent_nanos"; an admitted request is counted before returning.
local req = tonumber(redis.call('HGET', KEYS[1], 'req') or '0')
local tok = tonumber(redis.call('HGET', KEYS[1], 'tok') or '0')
local spent = tonumber(redis.call('HGET', KEYS[2], 'cost_nanos') or '0')
local rpm, tpm, budget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local verdict = 'ok'
if budget >= 0 and spent >= budget then
  verdict = 'quota'
elseif rpm >= 0 and req >= rpm then
  verdict = 'requests'
elseif tpm >= 0 and tok >= tpm then
  verdict = 'tokens'
else
  req = redis.call('HINCRBY', KEYS[1], 'req', 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('HINCRBY', KEYS[2], 'requests', 1)
  redis.call('EXPIRE', KEYS[2], ARGV[5])
end
return verdict .. ' ' .. req .. ' ' .. tok .. ' ' .. spent
