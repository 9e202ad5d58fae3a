-- Writes for e2e/soak/run.sh: orders placed (POST /api/orders, unrouted: straight to the monolith).
-- The monolith refuses an order when stock runs out (a 4xx, its own answer); done() counts 5xx
-- and socket errors apart, as those are the gateway's or a backend's failures.
local threads = {}
local counter = 0
server_errors = 0

setup = function(thread) table.insert(threads, thread) end

request = function()
  counter = counter + 1
  local body = string.format('{"customerId":%d,"lines":[{"productId":%d,"quantity":1}]}',
    (counter % 10) + 1, (counter % 40) + 1)
  return wrk.format("POST", "/api/orders", { ["Content-Type"] = "application/json" }, body)
end

response = function(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local fivexx = 0
  for _, thread in ipairs(threads) do fivexx = fivexx + thread:get("server_errors") end
  io.write(string.format("SOAK requests=%d socket_errors=%d status_errors=%d server_errors=%d p99_us=%d\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status, fivexx, latency:percentile(99)))
end
