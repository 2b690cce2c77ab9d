-- wrk's side of the join benchmark: `wrk -s join.lua <url> -- <body file> <tokens file>`.
-- Every request POSTs the same join body as the customers of the tokens file (one bearer token
-- a line), in turn. The requests are formatted once in init(), so that wrk's CPU goes to the
-- sockets rather than to Lua. done() prints one JSON line: the completed requests, the seconds,
-- the count of each HTTP status (from response(): wrk's own summary only counts codes > 399)
-- and the socket errors.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  -- every thread learns its number and how many there are (all setups run before any thread)
  for number, each in ipairs(threads) do
    each:set("number", number - 1)
    each:set("count", #threads)
  end
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local body = file:read("*a")
  file:close()
  requests, statuses = {}, {}
  for token in io.lines(args[2]) do
    if token ~= "" then
      local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
      table.insert(requests, wrk.format("POST", "/api/v1/orders", headers, body))
    end
  end
  -- each thread starts at its own share of the tokens, so that two connections seldom join as
  -- the same customer at once (pgbench's customers are random: seldom too)
  turn = math.floor(#requests * number / count)
end

function request()
  turn = turn % #requests + 1
  return requests[turn]
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.6f, "statuses": {%s}, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, table.concat(parts, ", "),
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
