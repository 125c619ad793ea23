#!/usr/bin/env python3
"""Rate limits across instances (see test-two-instances.sh): two example instances on one
PostgreSQL database lease slices of each key's budget per window.

1. A paced client just under a key's limit (36 requests in every second of a 40/s limit, sent to
   both instances in turn, for 5 seconds) is never refused.
2. Load on both instances at once (8 threads each) across a minute's turn, on a key of N per
   minute: the requests admitted in each minute (by the client's clock, which the servers share) stay within N x 1.1,
   and each minute admits at least N x 0.9 (the budget is spent, not lost in unspent slices);
   every refusal is 429 with Retry-After, never 401 or 5xx.
"""
import argparse
import collections
import http.client
import subprocess
import sys
import threading
import time
import urllib.parse

N = 200


def cli(args, *command):
    return subprocess.run([args.binary, "api-keys", *command], cwd=args.work, check=True,
                          capture_output=True, text=True).stdout.strip()


class Client:
    """One keep-alive connection to an instance."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)

    def get(self, key):
        self.connection.request("GET", "/api/protected", headers={"Authorization": f"Api-Key {key}"})
        response = self.connection.getresponse()
        response.read()
        return response.status, response.getheader("Date"), response.getheader("Retry-After")


def paced(args, failures):
    key = cli(args, "create", "--name", "paced", "--rate-limit", "40/s")
    clients = [Client(url) for url in args.instance]
    statuses = collections.Counter()
    start = int(time.time()) + 1
    for second in range(5):
        for index in range(36):
            # Evenly spread in each wall-clock second: any second of the server's holds 36 or 37.
            target = start + second + index / 36
            time.sleep(max(0, target - time.time()))
            status, _, _ = clients[index % 2].get(key)
            statuses[status] += 1
    print(f"  postgres paced client, 36 a second under 40/s on both instances for 5 s: {dict(statuses)}")
    if set(statuses) != {200}:
        failures.append(f"a client under its limit was refused: {dict(statuses)}")


def load(args, failures):
    key = cli(args, "create", "--name", "loaded", "--rate-limit", f"{N}/min")
    # From 6 seconds before a minute's turn to 6 seconds after.
    now = time.time()
    begin = (int(now) // 60 + 1) * 60 - 6
    if begin < now:
        begin += 60
    time.sleep(begin - now)
    end = begin + 12
    admitted = collections.Counter()
    refused = collections.Counter()
    lock = threading.Lock()

    def hammer(url):
        client = Client(url)
        while time.time() < end:
            sent = time.time()
            status, _, retry_after = client.get(key)
            # The server decided between sending and receiving (a few ms on this machine); the
            # Date field is no clock for this: servers cache it for a second or more.
            minute = int((sent + time.time()) / 2) // 60
            with lock:
                if status == 200:
                    admitted[minute] += 1
                else:
                    refused[(status, retry_after is not None)] += 1

    threads = [threading.Thread(target=hammer, args=(url,)) for url in args.instance for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = [admitted[minute] for minute in sorted(admitted)]
    print(f"  postgres load on both instances across a minute's turn, {N}/min: admitted {counts} in the two minutes, "
          f"{sum(counts)} in all (bound {int(N * 1.1)} a minute), refused {sum(refused.values())} ({dict(refused)})")
    if len(counts) != 2:
        failures.append(f"the load should span two minutes, got {counts}")
    for count in counts:
        if count > N * 1.1:
            failures.append(f"{count} admitted in one minute, over {N} x 1.1")
        if count < N * 0.9:
            failures.append(f"only {count} admitted in a minute of load, under {N} x 0.9")
    if set(refused) - {(429, True)}:
        failures.append(f"refusals other than 429 with Retry-After: {dict(refused)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--instance", action="append", required=True, help="base URL, twice")
    args = parser.parse_args()
    failures = []
    paced(args, failures)
    load(args, failures)
    for failure in failures:
        print("  FAIL " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
