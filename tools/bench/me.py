#!/usr/bin/env python3
"""Sequential latency of a management request (GET /v1/users/me) on a running local server.

Usage: start `java -jar functions/local/target/latchkey-local.jar` on a fresh data folder, then
`python3 tools/bench/me.py [http://localhost:3000] [samples]`. It registers one account, logs in once and calls
GET /v1/users/me with the access token over and over (after a warm-up), printing p50/p90. Every such request pays
the access-token check (one consistent BatchGetItem of the session and the deny-list item, issue 11 §1/§5) on top of
the route's own three reads; docs/performance.md compares the numbers with and without it.
"""
import json
import random
import sys
import time
import urllib.error
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:3000"
SAMPLES = int(sys.argv[2]) if len(sys.argv) > 2 else 300
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
    email = "bench-%d@example.com" % random.randrange(10**9)
    status, _ = call("POST", "/v1/auth/register", {"email": email, "password": PASSWORD, "name": "Bench"})
    assert status == 201, status
    status, tokens = call("POST", "/v1/auth/login/password", {"email": email, "password": PASSWORD})
    assert status == 200, status
    token = tokens["access_token"]
    for _ in range(50):
        assert call("GET", "/v1/users/me", token=token)[0] == 200
    samples = []
    for _ in range(SAMPLES):
        start = time.perf_counter()
        status, _ = call("GET", "/v1/users/me", token=token)
        samples.append((time.perf_counter() - start) * 1000)
        assert status == 200, status
    samples.sort()
    print("GET /v1/users/me  n=%d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms" % (
        len(samples), samples[len(samples) // 2], samples[int(len(samples) * 0.9)], samples[int(len(samples) * 0.99)]))


if __name__ == "__main__":
    main()
