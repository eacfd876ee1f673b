-- wrk script: GET / with a valid key, except every Nth request, which carries a wrong key.
-- BENCH_KEY is the valid key, BENCH_WRONG_KEY the wrong one, BENCH_WRONG_EVERY the N (10 gives
-- the 90/10 mix). The pattern is a counter, not random, so every run sends the same requests.
local valid = wrk.format("GET", "/", { ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") })
local wrong = wrk.format("GET", "/", { ["Authorization"] = "Bearer " .. os.getenv("BENCH_WRONG_KEY") })
local every = tonumber(os.getenv("BENCH_WRONG_EVERY") or "10")
local n = 0

request = function()
  n = n + 1
  if n % every == 0 then
    return wrong
  end
  return valid
end
