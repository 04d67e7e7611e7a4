-- wrk script of bench_http.py: replays prepared requests (one per line, fields separated by
-- tabs: method, path, cookie, body, "htmx" or "") and prints the figures as one JSON line.
-- Without a file, every request is a plain GET of the URL given to wrk.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local prepared = {}
local next_index = 1

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  if not file then
    return
  end
  local n = 0
  for line in io.lines(file) do
    if n % count == id then
      local f = split(line)
      local headers = { ["Cookie"] = f[3] }
      if f[1] == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = "http://" .. wrk.host .. ":" .. wrk.port
      end
      if f[5] == "htmx" then
        headers["HX-Request"] = "true"
      end
      table.insert(prepared, wrk.format(f[1], f[2], headers, f[4] ~= "" and f[4] or nil))
    end
    n = n + 1
  end
end

function request()
  if #prepared == 0 then
    return wrk.request()
  end
  local raw = prepared[next_index]
  next_index = next_index % #prepared + 1
  return raw
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
