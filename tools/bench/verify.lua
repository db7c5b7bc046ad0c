-- wrk script: POST /v1/api-keys/verify with the key in the KEY environment variable.
-- Usage: KEY=lk_… wrk -t2 -c16 -d15s --latency -s tools/bench/verify.lua http://localhost:3000
-- wrk reports any non-2xx answer; tools/bench/apikeys.py checks that the same request says valid:true.
wrk.method = "POST"
wrk.path = "/v1/api-keys/verify"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"key":"' .. os.getenv("KEY") .. '","permission":"run_inference"}'
