-- wrk script of the benchmark: GET the paths listed in the file $WRK_PATHS in turn (each
-- thread from its own offset), and print one line "WRKJSON {...}" with the totals and the
-- latency percentiles for bench/bench.py.
local paths = {}
local f = io.open(os.getenv("WRK_PATHS") or "", "r")
if f then
  for line in f:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  f:close()
end
if #paths == 0 then paths[1] = "/" end

local n = 0
local counter = 0

function setup(thread)
  thread:set("n", counter * 7)
  counter = counter + 1
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
