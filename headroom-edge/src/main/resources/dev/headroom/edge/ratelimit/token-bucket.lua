-- One token bucket, taken from (ARGV[4] = 1) or given back to (ARGV[4] = -1) atomically, on Redis's own clock.
-- KEYS[1]: the bucket, a hash {t = tokens (fractional), ts = last refill, microseconds}
-- ARGV: capacity, tokens per period, period in microseconds, 1 or -1
-- Returns {taken 1|0, whole tokens left, microseconds until the next token when refused, microseconds until full}
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local capacity = tonumber(ARGV[1])
local perToken = tonumber(ARGV[3]) / tonumber(ARGV[2])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
elseif now > ts then
  tokens = math.min(capacity, tokens + (now - ts) / perToken)
  ts = now
end
local taken = 0
if cost < 0 then
  tokens = math.min(capacity, tokens - cost)
  taken = 1
elseif tokens >= cost then
  tokens = tokens - cost
  taken = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(ts))
local toFull = math.ceil((capacity - tokens) * perToken)
-- gone once it would be full again anyway (plus 10 s): idle clients cost Redis nothing
redis.call('PEXPIRE', KEYS[1], math.ceil(toFull / 1000) + 10000)
local wait = 0
if taken == 0 then
  wait = math.ceil((cost - tokens) * perToken)
end
return {taken, math.floor(tokens), wait, toFull}
