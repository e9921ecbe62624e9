-- wrk script of ./cax bench --http (issue 20 part 2), driven by bench/http_endpoints.py: one fixed
-- request, repeated. BENCH_PATH is the path; BENCH_AUTHORIZATION and BENCH_COOKIE, when set, the
-- token and the session. Every request carries what nginx adds in production (docs/deploy.md).
--
-- done() prints "LOADRESULT {json}" as bench/load_mixed.lua does: requests, duration, latency
-- percentiles (µs), socket errors and the non-2xx answers per status (wrk's own "status" error
-- counts only >= 400, not a redirect to the login page).

local path = os.getenv("BENCH_PATH")
if path == nil or path == "" then
  error("bench/http_endpoints.lua: BENCH_PATH is not set")
end
local name = os.getenv("BENCH_NAME") or path

wrk.method = "GET"
wrk.path = path
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["X-Forwarded-For"] = "10.0.0.2"
local authorization = os.getenv("BENCH_AUTHORIZATION") or ""
if authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
  wrk.headers["Accept"] = "text/html"
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  non2xx = {}
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    local key = tostring(status)
    non2xx[key] = (non2xx[key] or 0) + 1
    if sample == nil then
      sample = key .. " " .. string.sub(body or "", 1, 600)
    end
  end
end

function done(summary, latency, requests)
  local statuses = {}
  local total_non2xx = 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("non2xx") or {}) do
      statuses[status] = (statuses[status] or 0) + n
      total_non2xx = total_non2xx + n
    end
  end
  for _, thread in ipairs(threads) do
    local text = thread:get("sample")
    if text ~= nil then
      io.write("LOADSAMPLE " .. text .. "\n")
      break
    end
  end
  local parts = {}
  for status, n in pairs(statuses) do
    parts[#parts + 1] = string.format('"%s": %d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    'LOADRESULT {"scenario": "%s", "requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, '
      .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, "wrk_status": %d, '
      .. '"non2xx": %d, "statuses": {%s}}\n',
    name, summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.timeout, e.status,
    total_non2xx, table.concat(parts, ", ")
  ))
end
