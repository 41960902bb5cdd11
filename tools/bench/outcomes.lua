-- Each request: a durable write, done on yesterday's first daily item of a
-- random generated patient, with a new Idempotency-Key.
local items = {}
for line in io.lines(os.getenv("TEND_WRITES")) do
  local p, t, a, s = line:match("^(%d+) (%S+) (%d+) (%S+)")
  if p then items[#items + 1] = { p, t, a, s } end
end
local id = tostring({}):match("0x(%x+)") or tostring(math.random(1e9))
local n = 0
math.randomseed(os.time() + tonumber(id, 16) % 100000)
request = function()
  local e = items[math.random(#items)]
  n = n + 1
  local body = '{"activity_id":' .. e[3] .. ',"scheduled":"' .. e[4] .. '","action":"done"}'
  return wrk.format("POST", "/api/patients/" .. e[1] .. "/outcomes", {
    Cookie = "tend_session=" .. e[2],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "load-" .. id .. "-" .. n .. "-" .. math.random(1e9),
  }, body)
end
