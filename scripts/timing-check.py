#!/usr/bin/env python3
"""Timing check: does a wrong key that shares all but its last byte with a real key get answered
in a measurably different time from a random wrong key?

Starts the packaged jar with a fresh key on a free loopback port, sends the two kinds of wrong
key in random order over one keep-alive connection, and compares the two distributions of
response time with a two-sample Kolmogorov-Smirnov test. The service hashes every token once and
looks the digest up, so the two should not differ. Exits 1 if they do: p < ALPHA and medians
more than MIN_EFFECT apart. (On a busy shared machine, noise that comes in bursts makes KS alone
report tiny, meaningless differences now and then; a real leak through the key check would be
consistent and show in the medians.)

    python3 scripts/timing-check.py [--samples 20000] [--jar target/api-key-auth.jar]
"""
import argparse
import http.client
import math
import os
import random
import secrets
import socket
import string
import subprocess
import sys
import time

ALPHA = 0.001
MIN_EFFECT = 0.05


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ks_two_sample(a, b):
    """Returns (D, p): the KS statistic and its asymptotic p-value (Numerical Recipes' series)."""
    a, b = sorted(a), sorted(b)
    n, m = len(a), len(b)
    i = j = 0
    d = 0.0
    while i < n and j < m:
        x = min(a[i], b[j])
        while i < n and a[i] == x:
            i += 1
        while j < m and b[j] == x:
            j += 1
        d = max(d, abs(i / n - j / m))
    ne = n * m / (n + m)
    lam = (math.sqrt(ne) + 0.12 + 0.11 / math.sqrt(ne)) * d
    p = 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * lam * lam) for k in range(1, 101))
    return d, min(1.0, max(0.0, p))


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20000, help="requests per kind of wrong key")
    parser.add_argument("--jar", default="target/api-key-auth.jar")
    parser.add_argument("--java", default="java")
    args = parser.parse_args()

    key = secrets.token_urlsafe(32)
    alphabet = string.ascii_letters + string.digits + "-_"
    last_choices = [c for c in alphabet if c != key[-1]]

    def near_miss():
        # A fresh last byte each time, like the random keys: Jetty caches header fields it has
        # seen on a connection, so one fixed near-miss string would be parsed faster than fresh
        # random ones, which measures Jetty's cache, not the key check.
        return key[:-1] + random.choice(last_choices)
    port = free_port()
    env = dict(os.environ, AUTH_API_KEY=key, PORT=str(port), HOST="127.0.0.1")
    server = subprocess.Popen([args.java, "-jar", args.jar], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                sys.exit("the service did not start")
            time.sleep(0.05)

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

        def timed(token):
            begin = time.perf_counter_ns()
            conn.request("GET", "/", headers={"Authorization": "Bearer " + token})
            response = response_of(conn)
            elapsed = time.perf_counter_ns() - begin
            if response != 403:
                sys.exit("expected 403 for a wrong key, got %d" % response)
            return elapsed

        def response_of(c):
            r = c.getresponse()
            r.read()
            return r.status

        def random_wrong():
            return "".join(random.choice(alphabet) for _ in range(len(key)))

        for _ in range(5000):  # warm-up: let the JIT settle before measuring
            timed(random_wrong() if random.random() < 0.5 else near_miss())

        kinds = ["random"] * args.samples + ["near"] * args.samples
        random.shuffle(kinds)  # interleaved, so drift and noise hit both kinds alike
        samples = {"random": [], "near": []}
        for kind in kinds:
            samples[kind].append(timed(near_miss() if kind == "near" else random_wrong()))
        conn.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    d, p = ks_two_sample(samples["random"], samples["near"])
    print("timing check: %d samples per kind, loopback, one keep-alive connection" % args.samples)
    for kind in ("random", "near"):
        values = sorted(samples[kind])
        print("  %-28s p10 %7.1f us   p50 %7.1f us   p90 %7.1f us" % (
            "random wrong key" if kind == "random" else "near miss (last byte differs)",
            percentile(values, 0.10) / 1000, percentile(values, 0.50) / 1000, percentile(values, 0.90) / 1000))
    median_random = percentile(sorted(samples["random"]), 0.5)
    median_near = percentile(sorted(samples["near"]), 0.5)
    effect = abs(median_near - median_random) / median_random
    print("  Kolmogorov-Smirnov D = %.4f, p = %.4f; medians differ by %.1f%%" % (d, p, 100 * effect))
    if p < ALPHA and effect > MIN_EFFECT:
        print("  DIFFERENT: the two distributions differ (p < %g, medians %.0f%% apart)" % (ALPHA, 100 * effect))
        return 1
    print("  no difference detected (needs p < %g and medians > %.0f%% apart)" % (ALPHA, 100 * MIN_EFFECT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
