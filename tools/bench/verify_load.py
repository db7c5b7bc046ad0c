#!/usr/bin/env python3
"""Concurrent verify load without wrk: N threads, each with one keep-alive connection, for D seconds.

Usage: KEY=$(python3 tools/bench/apikeys.py) python3 tools/bench/verify_load.py [base] [threads] [seconds]
Prints requests per second, p50 and p99 (ms), and how many answers were valid. Python's client costs CPU on
the same machine, so on 2 cores the numbers are lower than wrk's; compare rows measured the same way
(docs/performance.md "API-key verify").
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:3000"
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 16
SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 15
BODY = json.dumps({"key": os.environ["KEY"], "permission": "run_inference"})


def worker(deadline, samples, valid):
    url = urllib.parse.urlparse(BASE)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        connection.request("POST", "/v1/api-keys/verify", BODY, {"content-type": "application/json"})
        response = connection.getresponse()
        body = json.loads(response.read())
        samples.append((time.perf_counter() - start) * 1000)
        if body.get("valid"):
            valid.append(1)


def main():
    samples, valid = [], []
    deadline = time.perf_counter() + SECONDS
    threads = [threading.Thread(target=worker, args=(deadline, samples, valid)) for _ in range(THREADS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    samples.sort()
    print("%d threads, %.0f s: %.0f req/s, p50 %.1f ms, p99 %.1f ms, %d of %d valid"
          % (THREADS, elapsed, len(samples) / elapsed, samples[len(samples) // 2],
             samples[int(len(samples) * 0.99)], len(valid), len(samples)))


if __name__ == "__main__":
    main()
