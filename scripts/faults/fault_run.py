#!/usr/bin/env python3
"""Drives the example service through a database crash and restart (see test-database-faults.sh).

Four client threads send requests without pause: a valid key, an unknown prefix, garbage, and the
open route. Phases: 3 s healthy, kill the database, 6 s down, restart it, up to 30 s to recover,
3 s healthy. Every answer is checked against its phase; the run fails on the first violation.
"""
import argparse
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

CACHE_WINDOW = 1.0   # the service's cache time to live: a key read just before the crash may be served from memory this long
TIMEOUT = 5.0        # no request may take longer, database or not (the example waits 3 s for a connection)


def call(url, key=None):
    request = urllib.request.Request(url, headers={"Authorization": f"Api-Key {key}"} if key else {})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT + 5) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except Exception as error:  # noqa: BLE001 - a refused or dropped connection is a finding too
        status = f"error: {error}"
    return status, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--kill", required=True)
    parser.add_argument("--start", required=True)
    args = parser.parse_args()
    prefix = args.key.split(".")[0]
    clients = {
        "valid": (args.url + "/api/protected", args.key),
        "unknown": (args.url + "/api/protected", "zzzzzzzz." + "a" * 32),
        "garbage": (args.url + "/api/protected", "garbage"),
        "open": (args.url + "/api/public", None),
    }
    events = []  # (client, sent_at, status, seconds)
    lock = threading.Lock()
    stop = threading.Event()

    def client(name):
        url, key = clients[name]
        while not stop.is_set():
            sent = time.monotonic()
            status, seconds = call(url, key)
            with lock:
                events.append((name, sent, status, seconds))

    threads = [threading.Thread(target=client, args=(name,), daemon=True) for name in clients]
    for thread in threads:
        thread.start()
    time.sleep(3)
    killed = time.monotonic()
    subprocess.run(args.kill, shell=True, check=True, stdout=subprocess.DEVNULL)
    # The database answers until the kill command returns: a row read then is cached for the time
    # to live from that read, so the cache window ends a time to live after the kill completed.
    dead = time.monotonic()
    time.sleep(6)
    restarted = time.monotonic()
    subprocess.run(args.start, shell=True, check=True, stdout=subprocess.DEVNULL)
    recovered = None
    while time.monotonic() - restarted < 30:
        if call(clients["valid"][0], args.key)[0] == 200:
            recovered = time.monotonic()
            break
        time.sleep(0.1)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(TIMEOUT + 10)

    failures = []
    counts = {}
    for name, sent, status, seconds in events:
        phase = "before" if sent < killed else "down" if sent < restarted else "recovering" if recovered is None or sent < recovered else "after"
        counts.setdefault((name, phase), {}).setdefault(status, 0)
        counts[(name, phase)][status] += 1
        if seconds > TIMEOUT:
            failures.append(f"{name} {phase}: took {seconds:.1f} s")
        if name == "open":
            ok = status == 200
        elif name == "garbage":
            ok = status == 401
        elif phase in ("before", "after"):
            ok = status == (200 if name == "valid" else 401)
        elif phase == "down" and sent < dead + CACHE_WINDOW:
            ok = status in (200 if name == "valid" else 401, 503)  # looked up just before the crash: served from the cache
        else:
            # A request still waiting for a connection when the database came back is answered rightly.
            back = phase == "recovering" or sent + seconds >= restarted
            ok = status in (503,) or (back and status == (200 if name == "valid" else 401))
        if not ok:
            failures.append(f"{name} {phase}: {status} at +{sent - killed:.2f} s after the kill")
    if recovered is None:
        failures.append("the service did not recover within 30 s of the database's restart")
    slowest = max(seconds for _, _, _, seconds in events)
    print(f"database faults: {len(events)} requests; recovered {recovered - restarted:.2f} s after the restart; slowest answer {slowest:.2f} s"
          if recovered else f"database faults: {len(events)} requests")
    for (name, phase), statuses in sorted(counts.items()):
        print(f"  {name:8s} {phase:10s} " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=lambda kv: str(kv[0]))))
    for failure in failures[:20]:
        print("  FAIL " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
