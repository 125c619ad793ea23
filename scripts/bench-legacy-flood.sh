#!/usr/bin/env bash
# One client flooding a legacy prefix with wrong secrets, against everyone else: the example
# service (release build, API_KEY_SCHEMA=drf on SQLite) with a row as djangorestframework-api-key
# 2.x wrote it (PBKDF2, 1,000,000 iterations), measured with wrk on a SHA-512 key, alone and then
# while CLIENTS synchronous clients send wrong secrets for the legacy prefix. Bounded in time.
#
#   bash scripts/bench-legacy-flood.sh            # 32 and 64 flooding clients
#   CLIENTS="16" DURATION=5 bash scripts/bench-legacy-flood.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-"32 64"}
DURATION=${DURATION:-8}
command -v wrk >/dev/null || { apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product api-key-example >/dev/null
binary="$(swift build -c release --show-bin-path)/api-key-example"
work=$(mktemp -d /tmp/apikey-flood.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

export API_KEY_SCHEMA=drf DATABASE_URL="sqlite://$work/db.sqlite" ADMIN_PASSWORD=flood LOG_LEVEL=warning
key=$(cd "$work" && "$binary" api-keys create --name fast 2>/dev/null)
python3 - "$work/db.sqlite" <<'PY'
import sqlite3, sys
legacy = "pbkdf2_sha256$1000000$fixedsalt0123456789abc$742zqQmNoguS0fKEURAVStdZphadBSAJrvg/7b7uQHI="
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO rest_framework_api_key_apikey (id, prefix, hashed_key, created, name, revoked, expiry_date) "
           "VALUES (?, 'abcdEFGH', ?, '2021-01-01 00:00:00', 'legacy', 0, NULL)", ("abcdEFGH." + legacy, legacy))
db.commit()
PY
port=$(for p in $(seq 19600 19700); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; break; }; done)
(cd "$work" && exec "$binary" serve --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/public" >/dev/null 2>&1 && break; sleep 0.1; done
measure() { wrk -t1 -c16 -d"${DURATION}s" --latency -H "Authorization: Api-Key $key" "http://127.0.0.1:$port/api/protected" \
    | awk '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } END { printf "%s req/s, p50 %s, p99 %s", rps, p50, p99 }'; }
echo "valid SHA-512 key alone: $(measure)"
for clients in $CLIENTS; do
    python3 - "$port" "$clients" "$((DURATION + 1))" >"$work/flood.txt" <<'PY' &
import collections, http.client, sys, threading, time
port, clients, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
counts, lock, end = collections.Counter(), threading.Lock(), time.time() + seconds
def flood(n):
    connection, i = http.client.HTTPConnection("127.0.0.1", port, timeout=30), 0
    while time.time() < end:
        i += 1
        connection.request("GET", "/api/protected", headers={"Authorization": f"Api-Key abcdEFGH.{n:016d}{i:016d}"})
        response = connection.getresponse(); response.read()
        with lock: counts[response.status] += 1
threads = [threading.Thread(target=flood, args=(n,)) for n in range(clients)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(", ".join(f"{status}: {n}" for status, n in sorted(counts.items())))
PY
    flood_pid=$!
    sleep 0.5
    result=$(measure)
    wait "$flood_pid"
    echo "valid SHA-512 key while $clients clients flood the legacy prefix: $result; the flood got $(cat "$work/flood.txt")"
done
grep -q " 500 \|status=500" "$work/server.log" && { echo "a 500 was logged" >&2; exit 1; }
exit 0
