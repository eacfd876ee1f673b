-- wrk script: GET / with a valid key, except every Nth request, which carries a wrong key.
-- BENCH_KEY is the valid key, BENCH_WRONG_KEY the wrong one, BENCH_WRONG_EVERY the N (10 gives
-- the 90/10 mix). The pattern is a counter, not random, so every run sends the same requests.
-- The requests are built in init(): at load time wrk has not set the Host header yet, and a
-- request without Host is a 400 that closes the connection.
local valid, wrong
local every = tonumber(os.getenv("BENCH_WRONG_EVERY") or "10")
local n = 0

init = function(args)
  local host = wrk.host .. ":" .. wrk.port
  valid = wrk.format("GET", "/", { ["Host"] = host, ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") })
  wrong = wrk.format("GET", "/", { ["Host"] = host, ["Authorization"] = "Bearer " .. os.getenv("BENCH_WRONG_KEY") })
end

request = function()
  n = n + 1
  if n % every == 0 then
    return wrong
  end
  return valid
end
