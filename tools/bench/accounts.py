#!/usr/bin/env python3
"""Sequential latency of the rate-limited account routes on a running local server.

Usage: start `java -jar functions/local/target/latchkey-local.jar` on a fresh data folder, then
`python3 tools/bench/accounts.py [http://localhost:3000]`. It registers a few accounts, so run it
once per fresh server: the per-IP limits (10 sign-ups per hour, 100 login attempts per 15 minutes,
60 token requests per minute) are what keeps the sample sizes small. See docs/performance.md.
"""
import json
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:3000"
PASSWORD = "correct-horse-staple-92!"


def post(path, data, form=False):
    body = urllib.parse.urlencode(data).encode() if form else json.dumps(data).encode()
    content_type = "application/x-www-form-urlencoded" if form else "application/json"
    request = urllib.request.Request(BASE + path, data=body, headers={"content-type": content_type})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def timed(call):
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def report(name, samples):
    samples.sort()
    print("%-28s n=%3d  p50 %6.1f ms  p90 %6.1f ms  max %6.1f ms"
          % (name, len(samples), samples[len(samples) // 2], samples[int(len(samples) * 0.9)], samples[-1]))


def main():
    for i in range(6):
        status, _ = post("/v1/auth/register", {"email": "bench%d@example.com" % i, "password": PASSWORD, "name": "B"})
        assert status == 201, status
    for _ in range(5):
        post("/v1/auth/login/password", {"email": "bench0@example.com", "password": PASSWORD})

    success = []
    for _ in range(30):
        ms, (status, body) = timed(lambda: post("/v1/auth/login/password",
                                                {"email": "bench0@example.com", "password": PASSWORD}))
        assert status == 200, status
        success.append(ms)
    report("login success", success)

    # Failures: wrong passwords (at most 5 per account, so no lock) and unknown emails, interleaved.
    plan = [("wrong", "bench%d@example.com" % (1 + i % 5)) for i in range(25)]
    plan += [("unknown", "nobody%d@example.com" % i) for i in range(25)]
    random.shuffle(plan)
    failures = {"wrong": [], "unknown": []}
    for kind, email in plan:
        ms, (status, _) = timed(lambda: post("/v1/auth/login/password", {"email": email, "password": "x" * 16}))
        assert status == 401, status
        failures[kind].append(ms)
    report("login wrong password", failures["wrong"])
    report("login unknown email", failures["unknown"])

    _, (_, body) = timed(lambda: post("/v1/auth/login/password", {"email": "bench0@example.com", "password": PASSWORD}))
    token = body["refresh_token"]
    refresh = []
    for _ in range(50):
        ms, (status, body) = timed(lambda: post("/oauth/token",
                                                {"grant_type": "refresh_token", "refresh_token": token}, form=True))
        assert status == 200, status
        token = body["refresh_token"]
        refresh.append(ms)
    report("refresh (rotation)", refresh)


if __name__ == "__main__":
    main()
