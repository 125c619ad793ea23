#!/usr/bin/env bash
# Side-by-side HTTP benchmark: both example services (Vapor's and Hummingbird's, release builds,
# on the same seeded database), the Swift alternatives a user would otherwise pick
# (Sources/APIKeyBenchPeers: Vapor's ModelTokenAuthenticatable as its documentation teaches it,
# and a hummingbird-auth bearer authenticator, each with a plaintext token and one Fluent query per
# request, on the same database), and the Django original (scripts/django, the real
# djangorestframework-api-key: gunicorn, 2 workers x 4 threads, its fastest configuration), same
# cases, same number of keys, same wrk settings, in one run. Writes the table into BENCHMARKS.md.
#
#   bash scripts/bench-http.sh
#   SIZES="1000" DATABASES="sqlite" DURATION=3s ROUNDS=1 bash scripts/bench-http.sh   # a quicker pass
#
# Each server's cases run in ROUNDS interleaved rounds (open, valid, ..., then again), and the
# table keeps each case's median round: a ratio then compares runs minutes apart at most, and
# one disturbed run does not decide it.
#
# Cases: open route; valid key; unknown prefix; right prefix with a wrong secret; garbage (no
# dot); missing key. The Swift services run with API_KEY_TAG=bench_live, so that keys made before
# the tag (all the seeded ones) and a tagged key (`tagged`) both verify, and a tagged key whose
# checksum fails (`checksum`) is refused before any lookup. The peers also serve `no_check`: the
# framework's own authentication idiom with no lookup and no hash (any token logs in one fixed
# identity), so that its ratio to the peer's open route is the ceiling for any key check on that
# framework, measured in the same run. Every process started is stopped by PID; wrk runs are bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/lib/postgres.sh

DURATION=${DURATION:-4s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}
SIZES=${SIZES:-"1000 1000000"}
DATABASES=${DATABASES:-"sqlite postgres"}
source scripts/django/lib.sh
command -v wrk >/dev/null || { apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

echo "Building the example services in release mode..."
swift build -c release --product api-key-example >/dev/null
swift build -c release --product api-key-example-hummingbird >/dev/null
swift build -c release --product APIKeyBenchPeers >/dev/null
peers="$(swift build -c release --show-bin-path)/APIKeyBenchPeers"
binary="$(swift build -c release --show-bin-path)/api-key-example"
hummingbird="$(swift build -c release --show-bin-path)/api-key-example-hummingbird"

work=$(mktemp -d /tmp/apikey-bench.XXXXXX)
server_pid=""
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
cleanup() { stop_server; rm -rf "$work"; }
trap 'cleanup; stop_test_postgres' EXIT

if [[ " $DATABASES " == *" postgres "* ]]; then
    start_test_postgres || { echo "PostgreSQL is needed for DATABASES=postgres" >&2; exit 1; }
    pg_base=${TEST_POSTGRES_URL%%\?*}; pg_base=${pg_base%/*}
fi
django_install

free_port() { for p in $(seq 19000 19100); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }
wait_ready() { for _ in $(seq 1 300); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }
new_pg_database() { PGPASSWORD=apikey psql "$pg_base/postgres" -qc "CREATE DATABASE $1" >/dev/null; echo "$pg_base/$1"; }

results="$work/results.tsv"
: >"$results"
# run_wrk SERVER DB SIZE CASE URL [HEADER]
run_wrk() {
    local args=(-t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
    [ -n "${6:-}" ] && args+=(-H "$6")
    local out
    out=$(wrk "${args[@]}" "$5")
    python3 - "$1" "$2" "$3" "$4" "$out" >>"$results" <<'PY'
import re, sys
server, db, size, case, out = sys.argv[1:6]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
def ms(p):
    m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print("\t".join([server, db, size, case, f"{rps:.0f}", f"{ms(50):.2f}", f"{ms(99):.2f}", non2xx.group(1) if non2xx else "0"]))
PY
    tail -n 1 "$results" | awk -F'\t' '{ printf "  %-11s %-9s %8s keys  %-15s %8s req/s  p50 %6s ms  p99 %6s ms  (non-2xx %s)\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
}

# cases SERVER DB SIZE BASE OPEN_PATH PROTECTED_PATH KEYS_FILE [SCOPED_PATH]
# SCOPED_PATH answers as PROTECTED_PATH does, but requires two scopes of the valid key. With
# METERED_KEY (a limit the load stays under) and LIMITED_KEY (over its limit: every request 429),
# the rate-limit cases too.
cases() {
    local valid unknown wrong
    valid=$(awk '$1=="valid"{print $2}' "$7"); unknown=$(awk '$1=="unknown_prefix"{print $2}' "$7"); wrong=$(awk '$1=="wrong_secret"{print $2}' "$7")
    curl -fs -H "Authorization: Api-Key $valid" "$4$6" >/dev/null  # warm-up, and proof that the key works
    for _ in $(seq 1 "$ROUNDS"); do
        run_wrk "$1" "$2" "$3" open "$4$5"
        run_wrk "$1" "$2" "$3" valid "$4$6" "Authorization: Api-Key $valid"
        [ -n "${8:-}" ] && run_wrk "$1" "$2" "$3" scoped "$4$8" "Authorization: Api-Key $valid"
        [ -n "${METERED_KEY:-}" ] && run_wrk "$1" "$2" "$3" metered "$4$6" "Authorization: Api-Key $METERED_KEY"
        [ -n "${LIMITED_KEY:-}" ] && run_wrk "$1" "$2" "$3" rate_limited "$4$6" "Authorization: Api-Key $LIMITED_KEY"
        if [ -n "${TAGGED_KEY:-}" ]; then
            run_wrk "$1" "$2" "$3" tagged "$4$6" "Authorization: Api-Key $TAGGED_KEY"
            run_wrk "$1" "$2" "$3" checksum "$4$6" "Authorization: Api-Key ${TAGGED_KEY%?}$([ "${TAGGED_KEY: -1}" = 0 ] && echo 1 || echo 0)"
        fi
        run_wrk "$1" "$2" "$3" unknown_prefix "$4$6" "Authorization: Api-Key $unknown"
        run_wrk "$1" "$2" "$3" wrong_secret "$4$6" "Authorization: Api-Key $wrong"
        run_wrk "$1" "$2" "$3" garbage "$4$6" "Authorization: Api-Key garbage"
        run_wrk "$1" "$2" "$3" missing "$4$6"
    done
}

for db in $DATABASES; do
    for size in $SIZES; do
        # The Swift example services, one after the other on the same seeded database.
        if [ "$db" = sqlite ]; then url="sqlite://$work/swift-$size.sqlite"; else url="$(new_pg_database "bench_swift_$size")?sslmode=disable"; fi
        (cd "$work" && DATABASE_URL="$url" "$binary" bench-seed --count "$size" --keys-file "$work/swift-keys.txt" 2>&1 | grep Added)
        # The valid key holds both scopes that /api/reports/export requires.
        valid_prefix=$(awk '$1=="valid"{print substr($2, 1, 8)}' "$work/swift-keys.txt")
        (cd "$work" && DATABASE_URL="$url" "$binary" api-keys update "$valid_prefix" --scope reports:read --scope reports:write >/dev/null 2>&1)
        # A key with a limit no load here reaches, and one whose limit each server spends at once.
        export METERED_KEY LIMITED_KEY
        METERED_KEY=$(cd "$work" && DATABASE_URL="$url" "$binary" api-keys create --name metered --rate-limit 1000000000/s 2>/dev/null)
        LIMITED_KEY=$(cd "$work" && DATABASE_URL="$url" "$binary" api-keys create --name limited --rate-limit 1/hour 2>/dev/null)
        export TAGGED_KEY
        TAGGED_KEY=$(cd "$work" && DATABASE_URL="$url" API_KEY_TAG=bench_live "$binary" api-keys create --name tagged 2>/dev/null)
        for server in vapor hummingbird; do
            executable=$binary
            [ "$server" = hummingbird ] && executable=$hummingbird
            port=$(free_port)
            (cd "$work" && DATABASE_URL="$url" ADMIN_PASSWORD=bench LOG_LEVEL=warning API_KEY_TAG=bench_live exec "$executable" serve --hostname 127.0.0.1 --port "$port" >"$work/$server.log" 2>&1) &
            server_pid=$!
            wait_ready "http://127.0.0.1:$port/api/public"
            # Its one request an hour; on PostgreSQL the examples count limits across instances, so
            # the second server finds it spent already (429), as it should.
            curl -s -H "Authorization: Api-Key $LIMITED_KEY" "http://127.0.0.1:$port/api/protected" >/dev/null
            cases "$server" "$db" "$size" "http://127.0.0.1:$port" /api/public /api/protected "$work/swift-keys.txt" /api/reports/export
            stop_server
        done

        # The Swift alternatives, on the same database: plaintext tokens, one query per request.
        (cd "$work" && DATABASE_URL="$url" "$peers" seed "$size" "$work/peer-token.txt")
        peer_token=$(cat "$work/peer-token.txt")
        for server in vapor hummingbird; do
            port=$(free_port)
            (cd "$work" && DATABASE_URL="$url" exec "$peers" "$server" "$port" >"$work/peer-$server.log" 2>&1) &
            server_pid=$!
            wait_ready "http://127.0.0.1:$port/open"
            curl -fs -H "Authorization: Bearer $peer_token" "http://127.0.0.1:$port/protected" >/dev/null
            for _ in $(seq 1 "$ROUNDS"); do
                run_wrk "$server-peer" "$db" "$size" open "http://127.0.0.1:$port/open"
                run_wrk "$server-peer" "$db" "$size" valid "http://127.0.0.1:$port/protected" "Authorization: Bearer $peer_token"
                run_wrk "$server-peer" "$db" "$size" unknown_prefix "http://127.0.0.1:$port/protected" "Authorization: Bearer zzzzzzzz$peer_token"
                run_wrk "$server-peer" "$db" "$size" no_check "http://127.0.0.1:$port/no-check" "Authorization: Bearer $peer_token"
            done
            stop_server
        done

        # The Django original, same database kind and key count.
        if [ "$db" = sqlite ]; then django_db="$work/django-$size.sqlite3"; else django_db=$(new_pg_database "bench_django_$size"); fi
        echo "  seeding $size keys with Django..."
        django_seed "$django_db" "$size" "$work/django-keys.txt"
        port=$(free_port)
        (django_serve "$django_db" "$port") &
        server_pid=$!
        wait_ready "http://127.0.0.1:$port/open"
        METERED_KEY="" LIMITED_KEY="" TAGGED_KEY="" cases django "$db" "$size" "http://127.0.0.1:$port" /open /protected "$work/django-keys.txt"
        stop_server
    done
done

python3 - "$results" "$root/BENCHMARKS.md" "$DURATION" "$CONNECTIONS" "$WRK_THREADS" "$ROUNDS" <<'PY'
import collections, datetime, platform, subprocess, sys
path, bench, duration, connections, threads, rounds = sys.argv[1:7]
runs = collections.OrderedDict()
for line in open(path):
    if line.strip():
        r = line.rstrip("\n").split("\t")
        runs.setdefault(tuple(r[:4]), []).append(r)
# Each case's median round (by req/s).
rows = [sorted(group, key=lambda r: float(r[4]))[len(group) // 2] for group in runs.values()]
rps = {(r[0], r[1], r[2], r[3]): float(r[4]) for r in rows}
cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True, text=True).stdout.strip()
out = [f"Measured {datetime.date.today()} on {cpu or platform.processor()} ({subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores), "
       f"wrk -t{threads} -c{connections} -d{duration}, {rounds} interleaved rounds per server (the median round of each case), release build, logs at warning; Django: gunicorn 2 workers x 4 threads.", "",
       "| server | database | keys | case | req/s | p50 ms | p99 ms | non-2xx |", "|---|---|---:|---|---:|---:|---:|---:|"]
for r in rows:
    out.append(f"| {r[0]} | {r[1]} | {int(r[2]):,} | {r[3]} | {float(r[4]):,.0f} | {r[5]} | {r[6]} | {r[7]} |")
out += ["", "Ratios, each measured side by side in this run (target in brackets):", ""]
for db in sorted({r[1] for r in rows}):
    for size in sorted({r[2] for r in rows if r[1] == db}, key=int):
        def get(server, case): return rps.get((server, db, size, case))
        for server, django_target, open_target in [("vapor", 10, 0.95), ("hummingbird", 17, 0.92)]:
            parts = []
            if get(server, "valid") and get(server, "open"):
                parts.append(f"valid ÷ open {get(server, 'valid') / get(server, 'open'):.2f} [≥ {open_target:.2f}]")
                if get(server, "scoped"):
                    parts.append(f"two scopes required ÷ none {get(server, 'scoped') / get(server, 'valid'):.2f} [≥ 0.97]")
                if get(server, "metered"):
                    parts.append(f"with a rate limit (usage on) ÷ open {get(server, 'metered') / get(server, 'open'):.2f} [≥ 0.90]")
                    parts.append(f"with a rate limit ÷ without {get(server, 'metered') / get(server, 'valid'):.2f}")
                if get(server, "rate_limited") and get(server, "wrong_secret"):
                    parts.append(f"429 over the limit ÷ 401 wrong secret {get(server, 'rate_limited') / get(server, 'wrong_secret'):.2f} [≥ 1.00]")
                if get(server, "tagged"):
                    parts.append(f"tagged key ÷ untagged {get(server, 'tagged') / get(server, 'valid'):.2f}")
                for case in ["garbage", "checksum", "unknown_prefix"]:
                    if get(server, case): parts.append(f"{case} ÷ open {get(server, case) / get(server, 'open'):.2f} [≥ 0.90]")
            if get(f"{server}-peer", "no_check") and get(f"{server}-peer", "open"):
                parts.append(f"{server}'s own authentication with no check at all ÷ its open route "
                             f"{get(f'{server}-peer', 'no_check') / get(f'{server}-peer', 'open'):.2f} (the most any key check can reach)")
            if get(server, "valid") and get(f"{server}-peer", "valid"):
                parts.append(f"valid ÷ {server}'s plaintext-token peer {get(server, 'valid') / get(f'{server}-peer', 'valid'):.2f}×")
            if get(server, "valid") and get("django", "valid"):
                parts.append(f"valid ÷ Django's valid {get(server, 'valid') / get('django', 'valid'):.1f}× [≥ {django_target}×]")
            if parts: out.append(f"- {server}, {db}, {int(size):,} keys: " + "; ".join(parts))
    sizes = sorted({r[2] for r in rows if r[1] == db}, key=int)
    for server in ["vapor", "hummingbird"]:
        if len(sizes) > 1 and rps.get((server, db, sizes[0], "valid")) and rps.get((server, db, sizes[-1], "valid")):
            out.append(f"- {server}, {db}: valid with {int(sizes[-1]):,} keys ÷ with {int(sizes[0]):,} keys "
                       f"{rps[(server, db, sizes[-1], 'valid')] / rps[(server, db, sizes[0], 'valid')]:.2f} [≥ 0.95]")
text = open(bench).read()
start, end = "<!-- http-bench:start -->", "<!-- http-bench:end -->"
block = start + "\n" + "\n".join(out) + "\n" + end
if start in text:
    text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
else:
    text += "\n## HTTP, side by side with the Django original\n\n`bash scripts/bench-http.sh` (one run; every ratio compares figures from that same run).\n\n" + block + "\n"
open(bench, "w").write(text)
print("\n".join(out[-20:]))
PY
