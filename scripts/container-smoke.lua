-- wrk script of scripts/container-smoke.sh's load phase: GET / with the valid key (SMOKE_KEY),
-- every tenth request with a wrong one (SMOKE_WRONG_KEY). Each request names its kind in its
-- X-Request-Id, which the service echoes, so each answer is counted against the kind of request
-- it answers: valid_2xx / valid_other, wrong_403 / wrong_other.
-- wrk's Lua state is per thread: done() reads each thread's counts through setup().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent_valid, sent_wrong = 0, 0
  counts = { valid_2xx = 0, valid_other = 0, wrong_403 = 0, wrong_other = 0, unknown = 0 }
  statuses = {}
  local host = wrk.host .. ":" .. wrk.port
  valid = wrk.format("GET", "/", { ["Host"] = host, ["X-Request-Id"] = "smoke-valid",
    ["Authorization"] = "Bearer " .. os.getenv("SMOKE_KEY") })
  wrong = wrk.format("GET", "/", { ["Host"] = host, ["X-Request-Id"] = "smoke-wrong",
    ["Authorization"] = "Bearer " .. os.getenv("SMOKE_WRONG_KEY") })
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
  local kind = headers["X-Request-Id"] or headers["x-request-id"]
  local key
  if kind == "smoke-valid" then
    key = (status >= 200 and status < 300) and "valid_2xx" or "valid_other"
  elseif kind == "smoke-wrong" then
    key = status == 403 and "wrong_403" or "wrong_other"
  else
    key = "unknown"
  end
  counts[key] = counts[key] + 1
  local s = (kind or "unknown") .. "_" .. status
  statuses[s] = (statuses[s] or 0) + 1
end

function done(summary, latency, requests)
  local v, w, totals, by_status = 0, 0, {}, {}
  for _, t in ipairs(threads) do
    v = v + t:get("sent_valid")
    w = w + t:get("sent_wrong")
    for k, c in pairs(t:get("counts")) do
      totals[k] = (totals[k] or 0) + c
    end
    for k, c in pairs(t:get("statuses")) do
      by_status[k] = (by_status[k] or 0) + c
    end
  end
  -- An answer without a known X-Request-Id can't be told apart: count it against both kinds.
  io.write(string.format("MIX sent_valid=%d sent_wrong=%d valid_2xx=%d valid_other=%d wrong_403=%d wrong_other=%d\n",
    v, w, totals.valid_2xx, totals.valid_other + totals.unknown, totals.wrong_403, totals.wrong_other + totals.unknown))
  for k, c in pairs(by_status) do
    io.write(string.format("MIX status_%s=%d\n", k, c))
  end
  io.write(string.format("MIX errors connect=%d read=%d write=%d timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
