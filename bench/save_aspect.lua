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

local shown = 0
function response(status, headers, body)
  if status ~= 200 and shown < 5 then
    shown = shown + 1
    io.stderr:write(status .. " " .. body:sub(1, 300) .. "\n")
  end
end
