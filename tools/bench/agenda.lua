-- Each request: a random generated patient's own agenda of today, with that
-- patient's session cookie (a patient reads only their own record). With
-- TEND_PAST_DAYS=N, the agenda of a random one of the N days before today
-- instead: a window seldom read twice, so the server's cache of each
-- window's outcomes seldom has it and the database is read.
local patients = {}
for line in io.lines(os.getenv("TEND_TOKENS")) do
  local p, t = line:match("^(%d+) (%S+)")
  if p then patients[#patients + 1] = { p, t } end
end
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
local past_days = tonumber(os.getenv("TEND_PAST_DAYS") or "")
request = function()
  local e = patients[math.random(#patients)]
  local path = "/api/patients/" .. e[1] .. "/agenda"
  if past_days then
    local day = os.date("!%Y-%m-%d", os.time() - 86400 * math.random(2, past_days))
    path = path .. "?from=" .. day
  end
  return wrk.format("GET", path, { Cookie = "tend_session=" .. e[2] })
end
