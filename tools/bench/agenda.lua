-- Each request: a random generated patient's own agenda of today, with that
-- patient's session cookie (a patient reads only their own record).
local patients = {}
for line in io.lines(os.getenv("TEND_TOKENS")) do
  local p, t = line:match("^(%d+) (%S+)")
  if p then patients[#patients + 1] = { p, t } end
end
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
request = function()
  local e = patients[math.random(#patients)]
  return wrk.format("GET", "/api/patients/" .. e[1] .. "/agenda", { Cookie = "tend_session=" .. e[2] })
end
