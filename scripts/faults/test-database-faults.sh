#!/usr/bin/env bash
# Database faults against the real example service on its own PostgreSQL cluster:
#   1. the server is killed (pg_ctl stop -m immediate: every backend dies at once) while clients
#      send requests: protected routes must answer 503 (fail closed) once the cache window has
#      passed, never 200 after it, never 500, and never take longer than a timeout;
#   2. the server is started again: the service must recover by itself, with no restart.
# The cluster is this script's own, so killing it disturbs no other test.
#   bash scripts/faults/test-database-faults.sh BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/debug/api-key-example}")
source scripts/lib/postgres.sh
if ! start_test_postgres; then
    [ "${CI:-}" = "true" ] && { echo "faults: PostgreSQL is required in CI" >&2; exit 1; }
    echo "faults: PostgreSQL not available, skipped" >&2; exit 0
fi
work=$(mktemp -d /tmp/apikey-faults.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; stop_test_postgres; }
trap cleanup EXIT

port=$(for p in $(seq 18900 19000); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; break; }; done)
export DATABASE_URL="$TEST_POSTGRES_URL" ADMIN_PASSWORD=faults LOG_LEVEL=warning
key=$(cd "$work" && "$binary" api-keys create --name faults 2>/dev/null)
(cd "$work" && exec "$binary" serve --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/public" >/dev/null 2>&1 && break; sleep 0.1; done

data="$TEST_POSTGRES_DIR/data"
pg_port=${TEST_POSTGRES_URL##*127.0.0.1:}; pg_port=${pg_port%%/*}
kill_db="runuser -u postgres -- $PG_BIN/pg_ctl -D $data -m immediate stop"
start_db="runuser -u postgres -- $PG_BIN/pg_ctl -D $data -l $TEST_POSTGRES_DIR/server.log -w -t 30 start -o '-p $pg_port -k $TEST_POSTGRES_DIR -c listen_addresses=127.0.0.1 -c fsync=off'"
[ "$(id -u)" = "0" ] || { kill_db=${kill_db#runuser -u postgres -- }; start_db=${start_db#runuser -u postgres -- }; }

python3 scripts/faults/fault_run.py --url "http://127.0.0.1:$port" --key "$key" --kill "$kill_db" --start "$start_db"
if grep -qF "$key" "$work/server.log"; then echo "faults: the key appears in the server log" >&2; exit 1; fi
