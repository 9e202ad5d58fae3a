-- wrk script for e2e/bench/run.sh.
-- * BENCH_STICKY_HEADER=X-User-Id: every request carries that header with one of 100 000
--   rotating values, so a canary route's sticky split sees many keys (about half of them
--   land on the target at 50 percent).
-- * done() prints one machine-readable line with p99.9, which `wrk --latency` does not show.
local sticky = os.getenv("BENCH_STICKY_HEADER")
local counter = 0

if sticky ~= nil and sticky ~= "" then
  request = function()
    counter = counter + 1
    return wrk.format(nil, nil, { [sticky] = "user-" .. (counter % 100000) })
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d errors=%d status_errors=%d p50_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
