#!/usr/bin/env python3
"""Sets up an owner and an API key on a running local server, then prints the key for wrk.

Usage: start `java -jar functions/local/target/latchkey-local.jar` on a fresh data folder, then
    KEY=$(python3 tools/bench/apikeys.py [http://localhost:3000])
    KEY=$KEY wrk -t2 -c16 -d15s --latency -s tools/bench/verify.lua http://localhost:3000
It also times 200 sequential verifies itself (stderr) as a cross-check. With RATE_LIMITED=1 the key
gets a (never reached) rate limit, so every verify also increments its counter; with CREDITS=1 it gets
10^12 usage credits, so every verify also spends one (a conditional write). See docs/performance.md.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:3000"
PASSWORD = "correct-horse-staple-92!"


def call(method, path, data=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(BASE + path, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def main():
    email = "bench-keys-%d@example.com" % int(time.time())
    status, _ = call("POST", "/v1/auth/register", {"email": email, "password": PASSWORD, "name": "Bench"})
    assert status == 201, status
    status, login = call("POST", "/v1/auth/login/password", {"email": email, "password": PASSWORD})
    assert status == 200, status
    access = login["access_token"]
    status, me = call("GET", "/v1/users/me", token=access)
    org = me["memberships"][0]["organization_id"]
    request = {"name": "bench", "permissions": ["read_models", "run_inference"]}
    if os.environ.get("RATE_LIMITED"):
        request["rate_limit"] = {"limit": 1000000, "window_seconds": 3600}
    if os.environ.get("CREDITS"):
        request["credits"] = {"remaining": 1000000000000}
    status, created = call("POST", "/v1/orgs/%s/api-keys" % org, request, token=access)
    assert status == 201, (status, created)
    key = created["key"]

    samples = []
    for _ in range(200):
        start = time.perf_counter()
        status, body = call("POST", "/v1/api-keys/verify", {"key": key, "permission": "run_inference"})
        samples.append((time.perf_counter() - start) * 1000)
        assert status == 200 and body["valid"], body
    samples.sort()
    print("verify, sequential: n=%d p50 %.2f ms p99 %.2f ms max %.2f ms"
          % (len(samples), samples[len(samples) // 2], samples[int(len(samples) * 0.99)], samples[-1]),
          file=sys.stderr)
    print(key)


if __name__ == "__main__":
    main()
