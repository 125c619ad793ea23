#!/usr/bin/env python3
"""Two example instances on one database, and the CLI as a third process (see test-two-instances.sh).

For each change (revoke, delete) and each trial: the CLI creates a key, both instances serve it
(and so cache it: their cache entries live one second), the CLI changes it, and both instances are
polled until they refuse it. The time from the CLI's exit to each instance's first refusal must be
under the bound (100 ms): with the one-second time to live alone, most trials would take longer.
A refused key must stay refused.
"""
import argparse
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

BOUND = 0.100


def status(url, key):
    request = urllib.request.Request(url + "/api/protected", headers={"Authorization": f"Api-Key {key}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def cli(args, *command):
    return subprocess.run([args.binary, "api-keys", *command], cwd=args.work, check=True,
                          capture_output=True, text=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--database", required=True, help="a label for the report")
    parser.add_argument("--instance", action="append", required=True, help="base URL, twice")
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()

    failures, latencies = [], {}
    for change in ("revoke", "delete"):
        for trial in range(args.trials):
            key = cli(args, "create", "--name", f"{change}-{trial}")
            prefix = key.split(".")[0]
            # Served (so cached) by both, right up to the change.
            deadline = time.monotonic() + 5
            while not all(status(url, key) == 200 for url in args.instance):
                if time.monotonic() > deadline:
                    failures.append(f"{change} {trial}: a new key was not accepted by both instances within 5 s")
                    break
                time.sleep(0.01)
            cli(args, change, prefix)
            changed = time.monotonic()
            for url in args.instance:
                while True:
                    got = status(url, key)
                    if got == 401:
                        latencies.setdefault((change, url), []).append(time.monotonic() - changed)
                        break
                    if got != 200 or time.monotonic() - changed > 5:
                        failures.append(f"{change} {trial} on {url}: {got} {time.monotonic() - changed:.3f} s after the CLI returned")
                        break
            for url in args.instance:
                for _ in range(5):
                    if (got := status(url, key)) != 401:
                        failures.append(f"{change} {trial} on {url}: {got} after a 401")

    for (change, url), seconds in sorted(latencies.items()):
        slowest = max(seconds)
        verdict = "ok" if slowest <= BOUND else "TOO SLOW"
        print(f"  {args.database:8s} {change:7s} {url}: refused {statistics.median(seconds) * 1000:.0f} ms (median), "
              f"{slowest * 1000:.0f} ms (slowest) after the CLI returned, {len(seconds)} trials  {verdict}")
        if slowest > BOUND:
            failures.append(f"{change} on {url}: {slowest * 1000:.0f} ms, over the {BOUND * 1000:.0f} ms bound")
    for failure in failures:
        print("  FAIL " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
