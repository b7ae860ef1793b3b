-- wrk script of the load figures (benchmarks/wrk.py writes the parameters, runs wrk, reads the
-- last line). Each wrk thread has one connection and is one simulated client: its own session
-- cookie and its own round of steps, walked in order and repeated until wrk stops.
--
-- The parameters file (FBSS_WRK_PARAMS) returns one table per client:
--   { cookie = "session=...", steps = { { method = "GET", path = "/", expect = 200 },
--                                       { method = "POST", path = "/x", expect = 302, body = "a=1", rev = 7 } } }
-- A step with ``rev`` sends ``body .. "&_rev=" .. rev`` and raises the rev after each expected
-- answer, as a clinician's page does after a save; any other answer (a 409 too) is an error.
-- Clients are dealt to the threads in turn (thread n gets client n modulo their number).

-- Every Lua state (wrk's main one and each thread's) loads this file and so the parameters.
local clients = dofile(os.getenv("FBSS_WRK_PARAMS"))
local threads = {}

-- Main state: give each thread its number before it starts. Only the number: wrk 4.1's
-- thread:set copies a table with the wrong stack index and crashes (thread:get copies fine).
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- Thread state. The step advances on an answer, not on a send: after a socket error wrk sends
-- the same request again on a new connection, so the round is not skipped ahead.
local client
local step = 1
local revs = {}
ok = 0
errors = 0
kinds = {}

function init(args)
  client = clients[id % #clients + 1]
  for n, s in ipairs(client.steps) do
    revs[n] = s.rev
  end
end

function request()
  local s = client.steps[step]
  local headers = {}
  if client.cookie ~= "" then
    headers["Cookie"] = client.cookie
  end
  local body = s.body
  if revs[step] ~= nil then
    body = ((body or "") ~= "" and body .. "&" or "") .. "_rev=" .. revs[step]
  end
  if body ~= nil then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format(s.method, s.path, headers, body)
end

function response(status, headers, body)
  local s = client.steps[step]
  if status == s.expect then
    ok = ok + 1
    if revs[step] ~= nil then
      revs[step] = revs[step] + 1
    end
  else
    errors = errors + 1
    local kind = s.method .. " " .. status
    kinds[kind] = (kinds[kind] or 0) + 1
  end
  step = step % #client.steps + 1
end

-- Main state again: the threads' counters are fetched from the thread objects kept in setup.
-- Socket errors (summary.errors) count as errors too; "status" is left out, as every unexpected
-- status is already counted above by method and status.
function done(summary, latency, requests)
  local total_ok, total_errors, all_kinds = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_errors = total_errors + thread:get("errors")
    for kind, n in pairs(thread:get("kinds")) do
      all_kinds[kind] = (all_kinds[kind] or 0) + n
    end
  end
  for _, kind in ipairs({ "connect", "read", "write", "timeout" }) do
    local n = summary.errors[kind]
    if n > 0 then
      all_kinds[kind] = n
      total_errors = total_errors + n
    end
  end
  local parts = {}
  for kind, n in pairs(all_kinds) do
    table.insert(parts, string.format("%q: %d", kind, n))
  end
  io.write(string.format(
    'FBSS_WRK {"requests": %d, "ok": %d, "errors": %d, "kinds": {%s}, "duration_us": %d, '
      .. '"p50_us": %d, "p95_us": %d, "max_us": %d, "threads": %d}\n',
    summary.requests, total_ok, total_errors, table.concat(parts, ", "), summary.duration,
    latency:percentile(50), latency:percentile(95), latency.max, #threads))
end
