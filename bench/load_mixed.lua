-- wrk script of the mixed-traffic load test (issue 16 part 8), driven by bench/load_mixed.py.
--
--   LOAD_SCENARIO=mix | healthz | officers | units | cases | staffing | overview | report_save | case_register
--
-- Everything else comes from the environment too (bench/load_mixed.py sets it): the two API tokens,
-- the session cookie of the login made through the login form, the pages' paths, the number of list
-- pages, the report drafts to save and a run id that makes every registered case unique. Every
-- request carries what nginx adds in production (docs/deploy.md): X-Forwarded-Proto: https and
-- X-Forwarded-For, which the app trusts with CAX_SECURE_PROXY=1 and CAX_TRUST_X_FORWARDED_FOR=1.
--
-- done() prints one line "LOADRESULT {json}" that bench/load_mixed.py reads: requests, duration,
-- latency percentiles (µs), wrk's socket errors and the non-2xx answers counted per status by
-- response() in every thread (wrk's own "status" error counts only >= 400, not a redirect to the login page).

local env = os.getenv

local function need(name)
  local value = env(name)
  if value == nil or value == "" then
    error("bench/load_mixed.lua: " .. name .. " is not set")
  end
  return value
end

local function split(text, sep)
  local out = {}
  for part in string.gmatch(text, "([^" .. sep .. "]+)") do
    out[#out + 1] = part
  end
  return out
end

local scenario = need("LOAD_SCENARIO")
local run_id = need("LOAD_RUN")
local province_token = need("LOAD_PROVINCE_TOKEN")
local commune_token = need("LOAD_COMMUNE_TOKEN")
local session_cookie = need("LOAD_SESSION_COOKIE")
local staffing_path = need("LOAD_STAFFING_PATH")
local overview_path = need("LOAD_OVERVIEW_PATH")
local commune_code = need("LOAD_COMMUNE_CODE")
local province_code = need("LOAD_PROVINCE_CODE")
local officer_pages = tonumber(need("LOAD_OFFICER_PAGES"))
local unit_pages = tonumber(need("LOAD_UNIT_PAGES"))
local case_pages = tonumber(need("LOAD_CASE_PAGES"))

-- LOAD_REPORTS: "path|code,code,…;path|code,…": the drafts of the commune's current periods, each
-- with the integer indicators of its form.
local reports = {}
for _, entry in ipairs(split(need("LOAD_REPORTS"), ";")) do
  local path, codes = entry:match("^([^|]+)|(.+)$")
  reports[#reports + 1] = { path = path, codes = split(codes, ",") }
end

local proxied = { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "10.0.0.2" }

local function headers(extra)
  local h = {}
  for k, v in pairs(proxied) do
    h[k] = v
  end
  for k, v in pairs(extra or {}) do
    h[k] = v
  end
  return h
end

local province_api = headers({ Authorization = "Bearer " .. province_token })
local commune_api = headers({ Authorization = "Bearer " .. commune_token })
local browser = headers({ Cookie = session_cookie, Accept = "text/html" })
local plain = headers()

local function page(pages)
  -- Mostly the first page, as people read lists; sometimes a deeper one, never past the last.
  if pages <= 1 or math.random() < 0.6 then
    return 1
  end
  return math.random(2, pages)
end

local summaries = {
  "Trộm cắp xe máy tại nhà văn hóa thôn",
  "Đánh nhau gây thương tích tại chợ",
  "Lừa đảo qua điện thoại chiếm đoạt tiền",
  "Cố ý làm hư hỏng tài sản của hàng xóm",
  "Đánh bạc dưới hình thức ghi số đề",
}
local counter = 0
thread_id = 0 -- a global: setup() sets it in each thread's state before init()

local function iso_now()
  return os.date("!%Y-%m-%dT%H:%M:%SZ")
end

local builders = {}

builders.healthz = function()
  return wrk.format("GET", "/healthz", plain)
end

builders.officers = function()
  return wrk.format("GET", "/api/v1/officers?page=" .. page(officer_pages), province_api)
end

builders.units = function()
  if math.random() < 0.3 then
    return wrk.format("GET", "/api/v1/units/" .. province_code .. "/children", province_api)
  end
  return wrk.format("GET", "/api/v1/units?page=" .. page(unit_pages), province_api)
end

builders.cases = function()
  if math.random() < 0.3 then
    return wrk.format("GET", "/api/v1/cases?unit=" .. province_code .. "&overdue=true", province_api)
  end
  return wrk.format("GET", "/api/v1/cases?page=" .. page(case_pages), commune_api)
end

builders.staffing = function()
  return wrk.format("GET", staffing_path, browser)
end

builders.overview = function()
  return wrk.format("GET", overview_path, browser)
end

builders.report_save = function()
  local report = reports[math.random(#reports)]
  local values = {}
  -- Autosave sends what was typed: a few indicators at a time.
  for _ = 1, 3 do
    local code = report.codes[math.random(#report.codes)]
    values[#values + 1] = string.format('"%s": {"value": "%d"}', code, math.random(0, 4))
  end
  local body = '{"values": {' .. table.concat(values, ", ") .. "}}"
  return wrk.format("PUT", report.path, headers({
    Authorization = "Bearer " .. commune_token,
    ["Content-Type"] = "application/json",
  }), body)
end

builders.case_register = function()
  counter = counter + 1
  local unique = string.format("%s-%d-%d", run_id, thread_id, counter)
  local body = string.format(
    '{"unit": "%s", "kind": "report", "channel": "phone", "received_at": "%s", '
      .. '"reporter_kind": "person", "reporter_name": "Người báo tin %s", '
      .. '"reporter_contact": "09%08d", "summary": "%s (%s)", "is_confidential": %s}',
    commune_code,
    iso_now(),
    unique,
    math.random(0, 99999999),
    summaries[math.random(#summaries)],
    unique,
    math.random() < 0.1 and "true" or "false"
  )
  return wrk.format("POST", "/api/v1/cases", headers({
    Authorization = "Bearer " .. commune_token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "load-" .. unique,
  }), body)
end

-- The mix: mostly reads (80%), as a working day's traffic; the writes invalidate the dashboards'
-- cached figures (core.revision), so the pages below are computed cold again after each one.
local mix = {
  { "officers", 20 },
  { "units", 15 },
  { "cases", 20 },
  { "staffing", 12 },
  { "overview", 13 },
  { "report_save", 12 },
  { "case_register", 8 },
}
local mix_total = 0
for _, entry in ipairs(mix) do
  mix_total = mix_total + entry[2]
end

local function pick()
  local roll = math.random() * mix_total
  for _, entry in ipairs(mix) do
    roll = roll - entry[2]
    if roll < 0 then
      return entry[1]
    end
  end
  return mix[#mix][1]
end

if scenario ~= "mix" and builders[scenario] == nil then
  error("bench/load_mixed.lua: unknown LOAD_SCENARIO " .. scenario)
end

-- Per thread: setup() runs in the main state, the rest in each thread's own state.
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() + thread_id * 7919)
  non2xx = {}
end

function request()
  if scenario == "mix" then
    return builders[pick()]()
  end
  return builders[scenario]()
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
    local counts = thread:get("non2xx") or {}
    for status, n in pairs(counts) do
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
    scenario, summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.timeout, e.status,
    total_non2xx, table.concat(parts, ", ")
  ))
end
