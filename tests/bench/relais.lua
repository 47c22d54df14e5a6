-- wrk script of `make bench` (tests/bench.sh): one endpoint per run, named by ENDPOINT, with
-- parameters drawn as the floor draws them (api/src/bench/floor.rs): files, referrals, name
-- and phone prefixes of the first generated CCAS. Prints one JSON line when done.

local env = os.getenv
local endpoint = env("ENDPOINT")
local ccas = tonumber(env("CCAS"))
local per_ccas = math.floor(tonumber(env("SITUATIONS")) / ccas)
local today, week_end, last_year = env("TODAY"), env("WEEK_END"), env("LAST_YEAR")
local prefixes = { "mar", "dub", "ber", "lef", "gar", "mor", "pet", "rou" }
local days = {}
for day in string.gmatch(env("DAYS"), "[^,]+") do days[#days + 1] = day end

local coordinator = { ["Authorization"] = "Bearer " .. env("CCAS_TOKEN"), ["Content-Type"] = "application/json" }
local unit = { ["Authorization"] = "Bearer " .. env("UNIT_TOKEN"), ["Content-Type"] = "application/json" }

local referral = '{"urgency":"normal","problem_types":["domestic_violence"],'
  .. '"summary":"Intervention à domicile, madame souhaite être rappelée.","judicial_proceedings":"unknown",'
  .. '"persons":[{"role":"victim","last_name":"Martin","first_name":"Sandrine","phone":"06 12 34 56 78",'
  .. '"safe_contact":{"call":"yes","text":"no"},"consent":"given"}]}'
local note = '{"body":"Entretien téléphonique, rappel prévu."}'

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(1000003 * (id or 1))
end

local function situation()
  return string.format("5e000000-0000-4000-8000-%012d", 100000000000 + ccas * math.random(0, per_ccas - 1))
end

-- An open file of CCAS 0: the generator closes the files whose rank in their CCAS ends in 0 to
-- 6, and a closed file takes no note (409 situation_closed).
local function open_situation()
  while true do
    local rank = math.random(0, per_ccas - 1)
    if rank % 10 >= 7 then return string.format("5e000000-0000-4000-8000-%012d", 100000000000 + ccas * rank) end
  end
end

local function unit_referral()
  while true do
    local rank = math.random(0, per_ccas - 1)
    if rank % 10 < 5 then return string.format("5e000001-0000-4000-8000-%012d", 100000000000 + ccas * rank) end
  end
end

local function prefix()
  return prefixes[math.random(1, #prefixes)]
end

local routes = {
  ["inbox"] = function() return wrk.format("GET", "/api/v1/referrals?status=received", coordinator) end,
  ["referrals"] = function() return wrk.format("GET", "/api/v1/referrals?limit=50", coordinator) end,
  ["situations"] = function() return wrk.format("GET", "/api/v1/situations?status=open&limit=50", coordinator) end,
  ["situation"] = function() return wrk.format("GET", "/api/v1/situations/" .. situation(), coordinator) end,
  ["timeline"] = function() return wrk.format("GET", "/api/v1/situations/" .. situation() .. "/timeline", coordinator) end,
  ["person-name"] = function() return wrk.format("GET", "/api/v1/persons?q=" .. prefix(), coordinator) end,
  ["person-phone"] = function()
    return wrk.format("GET", string.format("/api/v1/persons?phone=06%04d", math.random(0, 9999)), coordinator)
  end,
  ["partners"] = function() return wrk.format("GET", "/api/v1/partners?q=" .. prefix(), coordinator) end,
  ["agenda"] = function()
    return wrk.format("GET", "/api/v1/appointments?coordinator_id=bench-user-0&from=" .. today
      .. "T00:00:00Z&to=" .. week_end .. "T00:00:00Z&limit=200", coordinator)
  end,
  ["availability"] = function()
    return wrk.format("GET", "/api/v1/availability?site=bench-site-0&coordinator=bench-user-0&duration=45&date="
      .. days[math.random(1, #days)], coordinator)
  end,
  ["unit-status"] = function() return wrk.format("GET", "/api/v1/referrals/" .. unit_referral(), unit) end,
  ["create-referral"] = function() return wrk.format("POST", "/api/v1/referrals", unit, referral) end,
  ["add-note"] = function() return wrk.format("POST", "/api/v1/situations/" .. open_situation() .. "/notes", coordinator, note) end,
  ["report"] = function()
    return wrk.format("GET", "/api/v1/reports/activity?from=" .. last_year .. "-01-01&to=" .. last_year .. "-12-31", coordinator)
  end,
}

request = routes[endpoint]

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format('{"requests":%d,"errors":%d,"rps":%.1f,"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f}\n',
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
