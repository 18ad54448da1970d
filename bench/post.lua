-- wrk script of the benchmark: POSTs the JSON file named by BENCH_BODY with the hub's auth headers, the same
-- request every time, and prints one machine-readable BENCH line at the end (read by run.sh).
local path = os.getenv("BENCH_BODY") or error("set BENCH_BODY to a JSON file")
local f = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-app-token"] = os.getenv("BENCH_APP_TOKEN") or "demo-app-token"
local token = os.getenv("BENCH_ACCESS_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
