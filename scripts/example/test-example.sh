#!/usr/bin/env bash
# End-to-end tests of the example service as its users meet it: the CLI makes and revokes keys
# that the running service then accepts and refuses, and a real headless Chromium drives the
# admin panel (scripts/example/admin_browser_test.py). Run by scripts/test.sh after the build.
#
#   bash scripts/example/test-example.sh .build/debug/api-key-example
#   bash scripts/example/test-example.sh .build/debug/api-key-example-hummingbird
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/debug/api-key-example}")
artifacts=$(realpath -m "${ARTIFACTS_DIR:-artifacts}")
mkdir -p "$artifacts"

work=$(mktemp -d /tmp/apikey-example.XXXXXX)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

passed=0
fail() { echo "example test failed: $*" >&2; exit 1; }
check() { passed=$((passed + 1)); echo "  ok: $*"; }

port=$(for p in $(seq 18480 18580); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; break; }; done)
export DATABASE_URL="sqlite://$work/example.sqlite"
export ADMIN_PASSWORD="browser-test-password"
cli() { (cd "$work" && "$binary" "$@"); }

echo "Example service on 127.0.0.1:$port, database $DATABASE_URL"
cli api-keys list >/dev/null 2>&1  # runs the migrations once, before the server and the CLI race for them
(cd "$work" && exec "$binary" serve --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/public" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/api/public" >/dev/null || { cat "$work/server.log" >&2; fail "the service did not start"; }
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
# The service caches verified lookups for one second; a change made by another process (the
# CLI) must show within that bound. Polls for up to two seconds.
eventually_status() {
    local expected=$1 got=""; shift
    for _ in $(seq 1 20); do
        got=$(status "$@")
        [ "$got" = "$expected" ] && return 0
        sleep 0.1
    done
    echo "expected $expected, still $got after 2 s" >&2
    return 1
}

# The CLI: the key alone on standard output, accepted by the service, then refused once revoked.
key=$(cli api-keys create --name cli-key 2>/dev/null)
[[ "$key" =~ ^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$ ]] || fail "create printed '$key', not a key"
check "api-keys create prints the key alone"
[ "$(status -H "Authorization: Api-Key $key" "http://127.0.0.1:$port/api/protected")" = 200 ] || fail "a CLI key was refused"
check "a key made with the CLI gets 200 from /api/protected"
[ "$(status "http://127.0.0.1:$port/api/public")" = 200 ] || fail "/api/public"
[ "$(status "http://127.0.0.1:$port/api/protected")" = 401 ] || fail "no key should be 401"
check "/api/public needs no key; /api/protected without one is 401"
cli api-keys list --json 2>/dev/null | python3 -c "import json,sys; rows=json.load(sys.stdin); assert any(r['prefix']=='${key%%.*}' and r['status']=='active' for r in rows), rows"
cli api-keys list 2>/dev/null | grep -q "${key%%.*}  cli-key" || fail "list table"
check "api-keys list shows it, as a table and as JSON"
cli api-keys revoke "${key%%.*}" >/dev/null 2>&1
eventually_status 401 -H "Authorization: Api-Key $key" "http://127.0.0.1:$port/api/protected" || fail "a revoked key was accepted"
check "once revoked with the CLI, the key gets 401 (within the cache's one second)"
# The example records key events: the CLI's own changes, attributed to the commands, newest first.
cli api-keys events "${key%%.*}" --json 2>/dev/null | python3 -c "
import json, sys
events = json.load(sys.stdin)
assert [e['kind'] for e in events] == ['revoked', 'created'], events
assert all(e['source'] == 'commands' and e['key_table'] == 'api_keys' and e['prefix'] == '${key%%.*}' for e in events), events
assert set(events[0]) == {'at', 'kind', 'key_table', 'prefix', 'name', 'detail', 'source'}, events[0]
" || fail "api-keys events --json"
events_table=$(cli api-keys events 2>/dev/null)
grep -q "^AT (UTC) *EVENT *PREFIX *NAME *BY *DETAIL$" <<<"${events_table%%$'\n'*}" || fail "api-keys events table header: ${events_table%%$'\n'*}"
grep -q "revoked *${key%%.*} *cli-key *commands$" <<<"$events_table" || fail "api-keys events lists the revocation: $events_table"
check "api-keys events [PREFIX] [--json] shows the CLI's changes (created, revoked), attributed to the commands"
# Pruning: the revoked key, once its revocation is older than the cutoff (a second here).
sleep 1
cli api-keys prune --revoked-before 1s --dry-run >"$work/out" 2>"$work/err" || fail "prune --dry-run: $(cat "$work/err")"
grep -q "^Would delete ${key%%.*} (\"cli-key\"): revoked 20" "$work/out" || fail "prune --dry-run printed: $(cat "$work/out")"
grep -q "dry run: nothing was deleted" "$work/err" || fail "prune --dry-run said: $(cat "$work/err")"
cli api-keys list --json 2>/dev/null | grep -q "${key%%.*}" || fail "a dry run deleted the key"
cli api-keys prune --revoked-before 1s --expired-before 90d >"$work/out" 2>"$work/err" || fail "prune: $(cat "$work/err")"
grep -q "^Deleted ${key%%.*} (\"cli-key\"): revoked 20" "$work/out" || fail "prune printed: $(cat "$work/out")"
cli api-keys list --json 2>/dev/null | grep -q "${key%%.*}" && fail "prune left the revoked key"
if cli api-keys prune >/dev/null 2>"$work/err"; then fail "prune without a cutoff succeeded"; fi
grep -q "say what to prune: --revoked-before 90d, --expired-before 90d, or both" "$work/err" || fail "unclear message: $(cat "$work/err")"
check "api-keys prune --revoked-before/--expired-before [--dry-run] prints what it deletes (or would), and deletes only then"
if cli api-keys revoke zzzzzzzz >/dev/null 2>"$work/err"; then fail "revoking an unknown prefix succeeded"; fi
grep -q "no API key has the prefix zzzzzzzz" "$work/err" || fail "unclear message: $(cat "$work/err")"
if cli api-keys create --name dated --expires 2027-02-30 >/dev/null 2>"$work/err"; then fail "a bad date was accepted"; fi
grep -q "is not a date" "$work/err" || fail "unclear message: $(cat "$work/err")"
if cli api-keys create --name "$(printf 'n%.0s' $(seq 1 51))" >/dev/null 2>"$work/err"; then fail "a 51-character name was accepted"; fi
if cli api-keys delete zzzzzzzz >/dev/null 2>&1; then fail "deleting an unknown prefix succeeded"; fi
check "unknown prefixes, bad dates and long names fail with a message and a non-zero exit"
dated=$(cli api-keys create --name dated --expires 2030-01-31 2>/dev/null)
cli api-keys list --json 2>/dev/null | python3 -c "import json,sys; rows=json.load(sys.stdin); assert any(r['prefix']=='${dated%%.*}' and r['expires_at'].startswith('2030-01-31') for r in rows)"
cli api-keys delete "${dated%%.*}" >/dev/null 2>&1
eventually_status 401 -H "Authorization: Api-Key $dated" "http://127.0.0.1:$port/api/protected" || fail "a deleted key was accepted"
check "--expires is stored; a deleted key gets 401"

# The organization example: an inactive organization's keys are refused (through the admin panel
# in the browser test); here, just the public contract of the route.
[ "$(status "http://127.0.0.1:$port/api/organization")" = 401 ] || fail "/api/organization without a key"
check "/api/organization without a key is 401"

# Keys that belong to an organization, from the commands: `--organization NAME` on every subcommand.
acme=$(LOG_LEVEL=debug cli api-keys create --organization Acme --name acme-ci 2>/dev/null)
[[ "$acme" =~ ^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$ ]] || fail "create --organization printed '$acme', not a key"
check "api-keys create --organization Acme prints the key alone, even with the commands logging at debug"
initech=$(cli api-keys create --organization Initech --name initech-ci 2>/dev/null)
[ "$(status -H "Authorization: Api-Key $acme" "http://127.0.0.1:$port/api/organization")" = 200 ] || fail "Acme's CLI key was refused"
[ "$(status -H "Authorization: Api-Key $initech" "http://127.0.0.1:$port/api/organization")" = 401 ] || fail "inactive Initech's CLI key was accepted"
check "an active organization's CLI key gets 200 from /api/organization, an inactive one's 401"
cli api-keys list --organization Acme 2>/dev/null | grep -q "${acme%%.*}  acme-ci" || fail "list --organization Acme misses Acme's key"
cli api-keys list --organization Acme 2>/dev/null | grep -q "${initech%%.*}" && fail "list --organization Acme shows Initech's key"
check "list --organization shows that organization's keys only"
if cli api-keys create --organization Nobody --name x >"$work/out" 2>"$work/err"; then fail "a key for an unknown organization was made"; fi
grep -qx "Error: no organization is named Nobody; the names are case-sensitive" "$work/err" || fail "unclear message: $(cat "$work/err")"
[ ! -s "$work/out" ] || fail "a failed create printed on standard output: $(cat "$work/out")"
if cli api-keys revoke --organization Initech "${acme%%.*}" >/dev/null 2>"$work/err"; then fail "revoked Acme's key as Initech's"; fi
grep -q "nothing was changed" "$work/err" || fail "unclear message: $(cat "$work/err")"
check "an unknown organization, or another organization's key: one Error line, a non-zero exit, nothing changed"
cli api-keys revoke --organization Acme "${acme%%.*}" >/dev/null 2>&1 || fail "revoke --organization Acme"
eventually_status 401 -H "Authorization: Api-Key $acme" "http://127.0.0.1:$port/api/organization" || fail "a revoked organization key was accepted"
cli api-keys delete --organization Acme "${acme%%.*}" >/dev/null 2>&1 || fail "delete --organization Acme"
cli api-keys delete --organization Initech "${initech%%.*}" >/dev/null 2>&1 || fail "delete --organization Initech"
[ -z "$(cli api-keys list --organization Acme 2>/dev/null | tail -n +2)" ] || fail "a deleted organization key is still listed"
check "revoke --organization Acme: the key gets 401; delete --organization removes it"

# Scopes, suspension, IP allowlists and metadata (access_test), and usage, rate limits and
# metrics (usage_test), end to end with servers of their own, on SQLite and on PostgreSQL.
for script in access_test usage_test management_test; do
    python3 "scripts/example/$script.py" "$binary"
    passed=$((passed + 1))
    if [ -n "${APIKEY_TEST_POSTGRES_URL:-}" ]; then
        pg_base=${APIKEY_TEST_POSTGRES_URL%%\?*}
        script_db="${script}_$$"
        PGPASSWORD=apikey psql "${pg_base%/*}/postgres" -qc "CREATE DATABASE $script_db" >/dev/null
        python3 "scripts/example/$script.py" "$binary" "${pg_base%/*}/$script_db?sslmode=disable"
        PGPASSWORD=apikey psql "${pg_base%/*}/postgres" -qc "DROP DATABASE $script_db WITH (FORCE)" >/dev/null
        passed=$((passed + 1))
    else
        echo "  skipped: $script on PostgreSQL (APIKEY_TEST_POSTGRES_URL is not set)"
    fi
done

# Keys scanners recognise (API_KEY_TAG, api-keys scanner-rules), the leak endpoint and a pepper
# (API_KEY_PEPPER): the gitleaks
# rule runs in Google's RE2, as gitleaks' Go regexp does, and reports are signed as GitHub signs
# them (google-re2 and cryptography from PyPI, in .venv-scanner).
if [ ! -x .venv-scanner/bin/python ] || ! .venv-scanner/bin/python -c "import re2, cryptography" 2>/dev/null; then
    python3 -m venv .venv-scanner
    .venv-scanner/bin/pip install -q google-re2 cryptography
fi
RE2_PYTHON=.venv-scanner/bin/python python3 scripts/example/key_life_test.py "$binary"
passed=$((passed + 1))

# What a person reads from the commands and the settings, compared as text.
python3 scripts/example/cli_messages_test.py "$binary"
passed=$((passed + 1))

# The admin panel in a real browser.
source scripts/example/browser.sh
ensure_browser
"$BROWSER_PYTHON" scripts/example/admin_browser_test.py "http://127.0.0.1:$port" "$ADMIN_PASSWORD" "$artifacts/$(basename "$binary")"
passed=$((passed + 1))

# The sign-in and its sessions; last, since it leaves this address throttled.
python3 scripts/example/sign_in_test.py "http://127.0.0.1:$port" "$ADMIN_PASSWORD" "$work/example.sqlite"
passed=$((passed + 1))

# The inactive organization's key (used by the browser test): logged as what happened.
grep -q "api_key_denial=unusable" "$work/server.log" || fail "a refused inactive organization's key was not logged as unusable"
check "a key whose organization is inactive is logged as unusable, not as an unknown prefix"
grep -E "sha512|$key" "$work/server.log" >/dev/null && fail "the server log holds a key or a hash"
check "the server log holds no key"
echo "Example ($(basename "$binary")): all $passed checks passed"
