#!/usr/bin/env bash
# Revocation seen everywhere at once: two example instances share one database (an SQLite file,
# then PostgreSQL), the CLI revokes and deletes keys, and both instances must refuse them within
# 100 ms, long before their one-second cache entries expire (scripts/instances/two_instances.py).
# On PostgreSQL, a key's rate limit holds across both (scripts/instances/rate_limit_accuracy.py).
#
#   bash scripts/instances/test-two-instances.sh .build/debug/api-key-example
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/debug/api-key-example}")
work=$(mktemp -d /tmp/apikey-instances.XXXXXX)
pids=()
stop_instances() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done; pids=(); }
cleanup() { stop_instances; rm -rf "$work"; }
trap cleanup EXIT

free_port() { for p in $(seq "$1" $(($1 + 100))); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }

run_pair() {
    local label=$1
    export DATABASE_URL=$2 ADMIN_PASSWORD=instances LOG_LEVEL=warning
    (cd "$work" && "$binary" api-keys list >/dev/null 2>&1)   # migrates once, before the instances race for it
    local urls=()
    for n in 1 2; do
        local port
        port=$(free_port $((19100 + n * 100)))
        (cd "$work" && exec "$binary" serve --hostname 127.0.0.1 --port "$port" >>"$work/$label-$n.log" 2>&1) &
        pids+=($!)
        for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/public" >/dev/null 2>&1 && break; sleep 0.1; done
        curl -fs "http://127.0.0.1:$port/api/public" >/dev/null || { cat "$work/$label-$n.log" >&2; echo "instance $n did not start" >&2; exit 1; }
        urls+=(--instance "http://127.0.0.1:$port")
    done
    python3 scripts/instances/two_instances.py --binary "$binary" --work "$work" --database "$label" "${urls[@]}"
    # Rate limits are counted across instances on PostgreSQL; a SQLite file serves one instance.
    if [ "$label" = postgres ]; then
        python3 scripts/instances/rate_limit_accuracy.py --binary "$binary" --work "$work" "${urls[@]}"
    fi
    stop_instances
}

echo "Two instances and the CLI on one database:"
run_pair sqlite "sqlite://$work/shared.sqlite"
if [ -n "${APIKEY_TEST_POSTGRES_URL:-}" ]; then
    base=${APIKEY_TEST_POSTGRES_URL%%\?*}
    db="instances_$$"
    PGPASSWORD=apikey psql "${base%/*}/postgres" -qc "CREATE DATABASE $db" >/dev/null
    run_pair postgres "${base%/*}/$db?sslmode=disable"
    PGPASSWORD=apikey psql "${base%/*}/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
elif [ "${CI:-}" = "true" ]; then
    echo "instances: PostgreSQL is required in CI" >&2; exit 1
else
    echo "instances: APIKEY_TEST_POSTGRES_URL not set, PostgreSQL skipped" >&2
fi
