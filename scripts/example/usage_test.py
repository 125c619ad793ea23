#!/usr/bin/env python3
"""Keys' usage and rate limits end to end, as the example's users meet them: requests to the
running service, last use and daily counts written in batches (API_KEY_USAGE_FLUSH_INTERVAL),
read with `api-keys list` (a LAST USED column, --idle, last_used_at in --json) and `api-keys
usage`; what is still in memory is written when the service stops cleanly; a key's own rate limit
(`--rate-limit`) and the default (API_KEY_RATE_LIMIT) answered with 429 and the RateLimit fields;
the metrics at GET /metrics.
Both examples must behave the same.

    python3 scripts/example/usage_test.py .build/debug/api-key-example [DATABASE_URL]
"""
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

from example_processes import ExampleProcesses, free_port

example = ExampleProcesses("usage")
binary, work, database_url, servers = example.binary, example.work, example.database_url, example.servers
environment, cli, create = example.environment, example.cli, example.create
passed = 0


serve = example.serve


def exchange(base, path, key=None):
    req = urllib.request.Request(base + path)
    if key:
        req.add_header("Authorization", f"Api-Key {key}")
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def request(base, path, key=None):
    return exchange(base, path, key)[0]


def listed(prefix):
    return next(r for r in json.loads(cli("list", "--json")[1]) if r["prefix"] == prefix)


def usage(prefix, *args):
    code, out, err = cli("usage", prefix, "--json", *args)
    assert code == 0, err
    return json.loads(out)


def check(description):
    global passed
    passed += 1
    print(f"  ok: {description}")


try:
    cli("list")  # migrations, once
    busy = create("--name", "busy")
    idle = create("--name", "idle")
    busy_prefix, idle_prefix = busy.split(".")[0], idle.split(".")[0]
    assert listed(busy_prefix)["last_used_at"] is None and listed(idle_prefix)["last_used_at"] is None
    check("list --json has last_used_at, null for a key never used")

    server, base = serve({"API_KEY_USAGE_FLUSH_INTERVAL": "0.3"})
    for _ in range(5):
        assert request(base, "/api/protected", busy) == 200
    assert request(base, "/api/protected", busy_prefix + "." + "w" * 32) == 401
    assert request(base, "/api/protected", "nothere1." + "a" * 32) == 401
    deadline = time.time() + 10
    while listed(busy_prefix)["last_used_at"] is None:
        assert time.time() < deadline, "last use not written within 10 s with a 0.3 s interval"
        time.sleep(0.1)
    time.sleep(0.7)  # one more interval: every count of the requests above is written
    today = usage(busy_prefix, "--days", "1")
    assert today["prefix"] == busy_prefix and today["last_used_at"] is not None, today
    assert today["days"][0]["granted"] == 5 and today["days"][0]["refused"] == {"mismatch": 1}, today
    assert today["days"][0]["rate_limited"] == 0, today
    check("requests are written within the interval: last_used_at, 5 granted and 1 mismatch today; an unknown prefix is counted nowhere")

    table = cli("list")[1].splitlines()
    assert "LAST USED" in table[0], table
    assert any(busy_prefix in line and "never" not in line for line in table) and any(idle_prefix in line and "never" in line for line in table), table
    idle_rows = [r["prefix"] for r in json.loads(cli("list", "--idle", "30d", "--json")[1])]
    assert idle_prefix in idle_rows and busy_prefix not in idle_rows, idle_rows
    code, out, err = cli("usage", busy_prefix, "--days", "7")
    assert code == 0 and out.splitlines()[0].startswith("Last used: ") and len(out.splitlines()) == 9, out
    check("list shows LAST USED (never for the idle key); list --idle 30d lists only keys idle that long; usage prints a line a day")

    code, out, err = cli("list", "--idle", "30x")
    assert code != 0 and out == "" and err.startswith("Error: ") and "such as 30d, 12h, 90m or 45s" in err, err
    code, out, err = cli("usage", busy_prefix, "--days", "0")
    assert code != 0 and out == "" and "--days must be 1 to 366" in err, err
    code, out, err = cli("usage", busy)
    assert code == 0 and busy.split(".")[1] not in out + err, "a whole key is taken as its prefix, never echoed"
    code, out, err = cli("usage", "zzzzzzzz")
    assert code != 0 and "no API key has the prefix zzzzzzzz" in err, err
    check("bad --idle and --days get one Error line saying what is accepted; a whole key is used as its prefix; an unknown prefix is named")

    # A stop writes what is still in memory: an interval far longer than the test.
    server.send_signal(signal.SIGINT)
    server.wait(timeout=20)
    server, base = serve({"API_KEY_USAGE_FLUSH_INTERVAL": "3600"})
    for _ in range(7):
        assert request(base, "/api/protected", idle) == 200
    time.sleep(0.5)
    assert listed(idle_prefix)["last_used_at"] is None, "nothing written before the interval"
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=20) == 0, open(os.path.join(work, os.listdir(work)[-1])).read()
    after = usage(idle_prefix, "--days", "1")
    assert after["days"][0]["granted"] == 7 and after["last_used_at"] is not None, after
    check("a clean stop writes the uses still in memory: 7 granted, last use set")

    # Rate limits: a key's own, and the server's default for the others.
    metered = create("--name", "metered", "--rate-limit", "2/min")
    metered_prefix = metered.split(".")[0]
    assert listed(metered_prefix)["rate_limit"] == "2/min" and listed(idle_prefix)["rate_limit"] is None
    server, base = serve({"API_KEY_RATE_LIMIT": "3/hour", "API_KEY_USAGE_FLUSH_INTERVAL": "3600"})
    first = exchange(base, "/api/protected", metered)
    assert first[0] == 200 and first[1].get("ratelimit-policy") == '"key";q=2;w=60' and first[1].get("ratelimit", "").startswith('"key";r=1;'), first
    assert request(base, "/api/protected", metered) == 200
    status, headers = exchange(base, "/api/protected", metered)
    assert status == 429, status
    assert headers.get("retry-after") in ("29", "30") and headers.get("ratelimit", "").startswith('"key";r=0;t='), headers
    assert "www-authenticate" not in headers, headers
    assert request(base, "/api/protected", metered_prefix + "." + "w" * 32) == 401
    check("a key's own limit (--rate-limit 2/min): 200 with RateLimit, then 429 with Retry-After 30 and RateLimit-Policy; a wrong secret is still 401")
    statuses = [request(base, "/api/protected", idle) for _ in range(4)]
    assert statuses == [200, 200, 200, 429], statuses
    check("API_KEY_RATE_LIMIT=3/hour limits keys without one of their own")
    code, out, err = cli("update", metered_prefix, "--rate-limit", "none")
    assert code == 0 and "rate limit the app's default" in out, (out, err)
    assert listed(metered_prefix)["rate_limit"] is None
    code, out, err = cli("update", metered_prefix, "--rate-limit", "100/day")
    assert code != 0 and out == "" and "is not a rate limit" in err and "100/min" in err, err
    code, out, err = cli("create", "--name", "bad", "--rate-limit", "0/s")
    assert code != 0 and out == "" and "1 to 1000000000 requests" in err, err
    check("update --rate-limit none gives the key back to the default; a bad limit is one Error line saying what is accepted")
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=20) == 0
    assert usage(metered_prefix, "--days", "1")["days"][0]["rate_limited"] == 1
    check("requests over the limit are counted as rate_limited in the key's usage")

    server, base = serve()
    assert request(base, "/api/protected", busy) == 200
    assert request(base, "/api/protected", busy_prefix + "." + "w" * 32) == 401
    with urllib.request.urlopen(base + "/metrics", timeout=5) as response:
        assert response.headers.get("Content-Type", "").startswith("text/plain"), response.headers
        metrics = response.read().decode()
    assert 'api_key_verifications_total{key_table="api_keys",outcome="granted",reason="none"} 1' in metrics, metrics
    assert 'api_key_verifications_total{key_table="api_keys",outcome="refused",reason="mismatch"} 1' in metrics, metrics
    assert "api_key_verification_duration_seconds" in metrics and busy_prefix not in metrics and busy.split(".")[1] not in metrics
    check("GET /metrics: verifications by outcome and reason, a timer, and neither prefix nor secret in any label")

    result = subprocess.run([binary, "serve", "--port", str(free_port())], capture_output=True, text=True,
                            env=environment({"API_KEY_RATE_LIMIT": "lots"}), cwd=work, timeout=60)
    assert result.returncode != 0 and "API_KEY_RATE_LIMIT: 'lots' is not a rate limit" in result.stderr, result.stderr
    result = subprocess.run([binary, "serve", "--port", str(free_port())], capture_output=True, text=True,
                            env=environment({"API_KEY_USAGE_FLUSH_INTERVAL": "soon"}), cwd=work, timeout=60)
    assert result.returncode != 0 and "API_KEY_USAGE_FLUSH_INTERVAL must be a number of seconds" in result.stderr, result.stderr
    check("API_KEY_RATE_LIMIT=lots and API_KEY_USAGE_FLUSH_INTERVAL=soon: one Error line each, saying what is accepted")

    # The lifetime policy: the commands read it as the server does.
    result = subprocess.run([binary, "api-keys", "create", "--name", "bounded"], capture_output=True, text=True,
                            env=environment({"API_KEY_DEFAULT_LIFETIME": "30d", "API_KEY_MAX_LIFETIME": "90d"}), cwd=work, timeout=60)
    assert result.returncode == 0 and result.stdout.count(".") == 1 and "(the app's default lifetime)" in result.stderr, result.stderr
    result = subprocess.run([binary, "api-keys", "create", "--name", "far", "--expires", "2099-01-01"], capture_output=True, text=True,
                            env=environment({"API_KEY_MAX_LIFETIME": "90d"}), cwd=work, timeout=60)
    assert result.returncode != 0 and "Keys live at most 90 days here: give an expiry no later than" in result.stderr, result.stderr
    for settings, message in [({"API_KEY_MAX_LIFETIME": "forever"}, "API_KEY_MAX_LIFETIME must be a length of time"),
                              ({"API_KEY_DEFAULT_LIFETIME": "90d", "API_KEY_MAX_LIFETIME": "30d"}, "cannot be longer than its maximum")]:
        result = subprocess.run([binary, "serve", "--port", str(free_port())], capture_output=True, text=True,
                                env=environment(settings), cwd=work, timeout=60)
        assert result.returncode != 0 and message in result.stderr, result.stderr
    check("API_KEY_DEFAULT_LIFETIME and API_KEY_MAX_LIFETIME: create says when a key expires, refuses one past the maximum; bad values are one Error line")
finally:
    for process in servers:
        if process.poll() is None:
            process.kill()
            process.wait()

print(f"usage: {passed} checks passed ({os.path.basename(binary)}, {database_url.split(':')[0]})")
