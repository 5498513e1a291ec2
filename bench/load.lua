-- wrk script for bench/load.py: sends the session cookie, waits a think time between a
-- connection's requests when BENCH_THINK_MS is set (people, not a request loop), counts
-- every answer other than 200 as an error (a redirect to the login page is a failure
-- here) and prints one RESULT line for the Python side.
local cookie = os.getenv("BENCH_COOKIE")
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
local threads = {}

wrk.headers["Cookie"] = cookie
wrk.headers["Accept-Language"] = "vi"
-- As browsers do: pages then travel compressed (partyorg.middleware.CompressPagesMiddleware).
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  math.randomseed(os.time() + #threads)
end

function delay()
  if think > 0 then
    -- Uniform between half and one and a half times the think time.
    return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
  end
  return 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_ok_total = 0
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d max_us=%d "
      .. "connect=%d read=%d write=%d timeout=%d not_ok=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency.max, e.connect, e.read, e.write, e.timeout, not_ok_total
  ))
end
