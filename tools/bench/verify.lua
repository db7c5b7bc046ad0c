-- wrk script: POST /v1/api-keys/verify with the key in the KEY environment variable.
-- Usage: KEY=lk_… wrk -t2 -c16 -d15s --latency -s tools/bench/verify.lua http://localhost:3000
wrk.method = "POST"
wrk.path = "/v1/api-keys/verify"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"key":"' .. os.getenv("KEY") .. '","permission":"run_inference"}'

local statuses = {}

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 200 or not string.find(body, '"valid":true', 1, true) then
    statuses["invalid"] = (statuses["invalid"] or 0) + 1
  end
end

done = function(summary, latency, requests)
  for status, count in pairs(statuses) do
    io.write(string.format("status %s: %d\n", tostring(status), count))
  end
end
