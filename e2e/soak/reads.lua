-- Idempotent reads for e2e/soak/run.sh: catalog (product pages, listings, categories) and orders
-- (orders, customers), seeded ids only, with a rotating sticky key so a canary route splits.
-- done() prints one machine-readable line.
local paths = {}
for i = 1, 40 do paths[#paths + 1] = "/api/products/" .. i end
for p = 0, 4 do paths[#paths + 1] = "/api/products?page=" .. p .. "&size=10" end
paths[#paths + 1] = "/api/categories"
for i = 1, 10 do paths[#paths + 1] = "/api/orders/" .. i end
for i = 1, 10 do paths[#paths + 1] = "/api/customers/" .. i end
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], { ["X-User-Id"] = "user-" .. (counter % 10000) })
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("SOAK requests=%d duration_us=%d socket_errors=%d status_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
