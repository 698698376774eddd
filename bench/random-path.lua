-- wrk script: requests a path template with {id} replaced by a seeded uniform random id in 1..MAX_ID,
-- and prints latency percentiles and throughput in one machine-readable line at the end.
-- Environment: PATH_TEMPLATE (e.g. /orders/{id}), MAX_ID, SEED.
local template = os.getenv("PATH_TEMPLATE")
local max_id = tonumber(os.getenv("MAX_ID"))
math.randomseed(tonumber(os.getenv("SEED") or "42"))

request = function()
  local path = template:gsub("{id}", tostring(math.random(1, max_id)))
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors))
end
