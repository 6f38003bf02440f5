-- wrk script: every request saves one whole aspect of one district's record (PUT, JSON, bearer token).
-- Pairs (district, aspect) are taken in turn; the n-th pass over all pairs sends version n, so each
-- save is a real new version, never a conflict. Files: bench/work/{tokens.tsv, aspect-N.json}.
local dir = os.getenv("BENCH_WORK") or "."
local year = os.getenv("BENCH_YEAR") or "2569"
local threads = {}
local tokens, bodies = {}, {}

for line in io.lines(dir .. "/tokens.tsv") do
  local district, token = line:match("^(%d+)\t(.+)$")
  table.insert(tokens, {district, token})
end
for n = 1, 8 do
  local file = io.open(dir .. "/aspect-" .. n .. ".json")
  bodies[n] = file:read("*a")
  file:close()
end

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  count = 0
  total_threads = tonumber(os.getenv("BENCH_THREADS") or "2")
end

function request()
  local index = count * total_threads + id
  count = count + 1
  local pairs_total = #tokens * 8
  local pass = math.floor(index / pairs_total)
  local pair = index % pairs_total
  local who = tokens[(pair % #tokens) + 1]
  local aspect = math.floor(pair / #tokens) + 1
  local body = bodies[aspect]:gsub('"version": 0', '"version": ' .. pass)
  return wrk.format("PUT", "/api/workload/rounds/" .. year .. "/districts/" .. who[1] .. "/aspects/" .. aspect,
    {["Authorization"] = "Bearer " .. who[2], ["Content-Type"] = "application/json"}, body)
end

-- Count refusals by kind: a stale version (409) means a save of a pair overtook the one before it,
-- which wrk can cause when it drops a request while opening connections; anything else is an error.
stale, other = 0, 0
local shown = 0
function response(status, headers, body)
  if status == 409 then
    stale = stale + 1
  elseif status ~= 200 then
    other = other + 1
  end
  if status ~= 200 and shown < 3 then
    shown = shown + 1
    io.stderr:write(status .. " " .. body:sub(1, 200) .. "\n")
  end
end

function done(summary, latency, requests)
  local total_stale, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_stale = total_stale + thread:get("stale")
    total_other = total_other + thread:get("other")
  end
  io.write("refusals: stale=" .. total_stale .. " other=" .. total_other .. "\n")
end
