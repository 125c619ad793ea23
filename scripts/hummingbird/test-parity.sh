#!/usr/bin/env bash
# Hummingbird answers bad requests exactly as Vapor does: both example services run on one
# database (an SQLite file, then PostgreSQL), and the bad-request corpus
# (Tests/APIKeyVaporTests/Corpus, scripts/hardening/send_corpus.py) is sent byte for byte to
# both. Every case must get the same status from both (a connection Vapor's HTTP parser closes
# counts as Hummingbird's 400), none a 500 or a grant it should not get.
#
#   bash scripts/hummingbird/test-parity.sh BIN_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-.build/debug}")
work=$(mktemp -d /tmp/apikey-parity.XXXXXX)
pids=()
stop_servers() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done; pids=(); }
cleanup() { stop_servers; rm -rf "$work"; }
trap cleanup EXIT
free_port() { for p in $(seq "$1" $(($1 + 100))); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }

run_parity() {
    local label=$1
    export DATABASE_URL=$2 ADMIN_PASSWORD=parity LOG_LEVEL=warning
    cli() { (cd "$work" && "$bin/api-key-example" api-keys "$@" 2>/dev/null); }
    cli list >/dev/null
    local valid revoked expired servers=()
    valid=$(cli create --name valid)
    revoked=$(cli create --name revoked)
    cli revoke "${revoked%%.*}" >/dev/null
    # The CLI refuses an expiry that has passed: this one passes four seconds from now.
    expired=$(cli create --name expired --expires "$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)")
    for framework in vapor hummingbird; do
        local port example=api-key-example
        [ "$framework" = hummingbird ] && example=api-key-example-hummingbird
        port=$(free_port $((19500 + ${#pids[@]} * 100)))
        (cd "$work" && exec "$bin/$example" serve --hostname 127.0.0.1 --port "$port" >>"$work/$label-$framework.log" 2>&1) &
        pids+=($!)
        for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/public" >/dev/null 2>&1 && break; sleep 0.1; done
        servers+=(--server "$framework=http://127.0.0.1:$port/api/protected")
    done
    sleep 4
    python3 - "$valid" "$revoked" "$expired" "$work/keys.json" <<'PY'
import json, sys
valid, revoked, expired, path = sys.argv[1:]
json.dump({"valid": valid, "revoked": revoked, "expired": expired,
           "unknown_prefix": "zzzzzzzz." + "a" * 32, "wrong_secret": valid.split(".")[0] + "." + "b" * 32}, open(path, "w"))
PY
    echo "Parity on $label:"
    python3 scripts/hardening/send_corpus.py --same-status --keys "$work/keys.json" "${servers[@]}"
    stop_servers
    if grep -qF "$valid" "$work/$label"-*.log; then echo "parity: a key appears in a server log" >&2; exit 1; fi
}

run_parity sqlite "sqlite://$work/shared.sqlite"
if [ -n "${APIKEY_TEST_POSTGRES_URL:-}" ]; then
    base=${APIKEY_TEST_POSTGRES_URL%%\?*}
    db="parity_$$"
    PGPASSWORD=apikey psql "${base%/*}/postgres" -qc "CREATE DATABASE $db" >/dev/null
    run_parity postgres "${base%/*}/$db?sslmode=disable"
    PGPASSWORD=apikey psql "${base%/*}/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
elif [ "${CI:-}" = "true" ]; then
    echo "parity: PostgreSQL is required in CI" >&2; exit 1
else
    echo "parity: APIKEY_TEST_POSTGRES_URL not set, PostgreSQL skipped" >&2
fi
