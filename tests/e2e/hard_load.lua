-- hard_load.lua: wrk script of tests/e2e/hard_load.sh. Requests HTML and JSON
-- searches in turn; counts answers that are not 200 or not complete (HTML must
-- end with </html>, JSON must be one object), and prints one line
-- "LOAD requests=N bad=N incomplete=N p50_us=N p99_us=N max_us=N errors=N".
local paths = {
  "/search?q=gpt-3", "/search?q=openai&format=json", "/search?q=%D1%8F%D0%BD%D0%B4%D0%B5%D0%BA%D1%81",
  "/search?q=language+model&sort=date&page=2", "/search?q=trans*&format=json",
  "/search?vendor=OpenAI&month=2020-05..2020-12", "/search?q=%22state+of+the+art%22&format=json",
  "/search?q=nvidia+OR+microsoft&lang=en", "/search?q=zzzznothing", "/search?q=a&page=3",
}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  n = id * 3
  bad = 0
  incomplete = 0
  last_bad = ""
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    last_bad = tostring(status)
    return
  end
  local ct = headers["Content-Type"] or headers["content-type"] or ""
  if ct:find("json") then
    if not (body:match("^%s*{") and body:match("}%s*$")) then incomplete = incomplete + 1 end
  elseif not body:match("</html>%s*$") then
    incomplete = incomplete + 1
  end
end

function done(summary, latency, requests)
  local b, inc = 0, 0
  for _, t in ipairs(threads) do
    b = b + t:get("bad")
    inc = inc + t:get("incomplete")
  end
  local e = summary.errors
  io.write(string.format("LOAD requests=%d bad=%d incomplete=%d p50_us=%d p99_us=%d max_us=%d errors=%d\n",
    summary.requests, b, inc, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout + e.status))
end
