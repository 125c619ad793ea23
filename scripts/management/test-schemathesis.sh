#!/usr/bin/env bash
# schemathesis (from PyPI) against the management API's served contract, on a running example
# with a management key: every operation, with the inputs it generates from the contract (valid
# and not), must answer as the contract says, and never with a 5xx. Every check runs but
# positive_data_acceptance: rules no schema can state (an expiry in the future, a rate limit such
# as 100/min, a scope the app declares, a cursor this API gave) refuse some schema-valid input,
# with a documented 400 or 422.
#
#   bash scripts/management/test-schemathesis.sh .build/debug/api-key-example
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "$1")
name=$(basename "$binary")
work=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x .venv-schemathesis/bin/st ] || ! .venv-schemathesis/bin/st --version 2>/dev/null | grep -q "4.32.5"; then
    python3 -m venv .venv-schemathesis
    .venv-schemathesis/bin/pip install -q "schemathesis==4.32.5"
fi

export DATABASE_URL="sqlite://$work/keys.sqlite" ADMIN_PASSWORD=schemathesis-password
unset API_KEY_TAG API_KEY_SCHEMA API_KEY_HEADER
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$work" && "$binary" api-keys list >/dev/null 2>&1)
key=$(cd "$work" && "$binary" api-keys create --name schemathesis --scope keys:manage --scope reports:read --scope reports:write 2>/dev/null)
for i in 1 2 3; do (cd "$work" && "$binary" api-keys create --name "seed-$i" --scope reports:read >/dev/null 2>&1); done
(cd "$work" && exec "$binary" serve --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/public" >/dev/null 2>&1 && break; sleep 0.1; done

report="$work/schemathesis.txt"
# Run from the scratch folder: schemathesis keeps a cache (.schemathesis/) where it runs.
st="$PWD/.venv-schemathesis/bin/st"
if ! (cd "$work" && "$st" run "http://127.0.0.1:$port/api/v1/openapi.yaml" --url "http://127.0.0.1:$port/api/v1" \
    -H "Authorization: Api-Key $key" --checks all --exclude-checks positive_data_acceptance --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" --seed "${SCHEMATHESIS_SEED:-24}" \
    --no-color >"$report" 2>&1); then
    cat "$report"
    tail -n 30 "$work/server.log"
    echo "error: schemathesis found answers that break the contract ($name)" >&2
    exit 1
fi
grep -E "operations|test cases|Test cases|passed|Summary" "$report" | tail -n 8
echo "schemathesis on $name: passed"
