-- 90/10 mix of valid and wrong-key requests; counts what was sent and every status received.
-- wrk's Lua state is per thread: done() reads each thread's globals through setup().
local valid_key = os.getenv("SOAK_KEY")
local wrong_key = os.getenv("SOAK_WRONG_KEY")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent_valid = 0
  sent_wrong = 0
  statuses = {}
  valid = wrk.format("GET", "/", { ["Authorization"] = "Bearer " .. valid_key })
  wrong = wrk.format("GET", "/", { ["Authorization"] = "Bearer " .. wrong_key })
  n = 0
end

function request()
  n = n + 1
  if n % 10 == 0 then
    sent_wrong = sent_wrong + 1
    return wrong
  end
  sent_valid = sent_valid + 1
  return valid
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local v, w, counts = 0, 0, {}
  for _, t in ipairs(threads) do
    v = v + t:get("sent_valid")
    w = w + t:get("sent_wrong")
    for status, count in pairs(t:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  io.write(string.format("MIX sent_valid=%d sent_wrong=%d\n", v, w))
  for status, count in pairs(counts) do
    io.write(string.format("MIX status_%d=%d\n", status, count))
  end
  io.write(string.format("MIX errors connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
