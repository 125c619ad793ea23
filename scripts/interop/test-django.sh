#!/usr/bin/env bash
# Interop with the real djangorestframework-api-key (from PyPI, in our Django project scripts/django):
# the example service (API_KEY_SCHEMA=drf) and Django share one table, on SQLite and on PostgreSQL.
#   - Django makes keys (valid, revoked, expired, expiring tomorrow, and pbkdf2/argon2/bcrypt
#     legacy rows as 1.x/2.x wrote them); our HTTP service must answer each rightly.
#   - Our CLI makes and revokes keys; Django's own APIKey.objects.is_valid must agree.
#   - Legacy rows upgraded by us keep their id, and still verify in Django.
#   - The bad-request corpus (Tests/APIKeyVaporTests/Corpus) goes to both servers, which must
#     each refuse it as expected; their answers are compared case by case.
# Prints the matrix (case x database x direction). Needs APIKEY_TEST_POSTGRES_URL for PostgreSQL.
#   bash scripts/interop/test-django.sh BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/debug/api-key-example}")
source scripts/django/lib.sh
work=$(mktemp -d /tmp/apikey-interop.XXXXXX)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

django_install
side="$(pwd)/scripts/interop/django_side.py"
django() { INTEROP_ACTION="$2" INTEROP_FILE="$3" django_manage "$1" shell -v0 -c "exec(open('$side').read())"; }

rows=()
failures=0
record() {  # database direction case expected got
    local mark=pass
    [ "$4" = "$5" ] || { mark=FAIL; failures=$((failures + 1)); }
    rows+=("$(printf '%-10s %-16s %-42s %-8s %-8s %s' "$1" "$2" "$3" "$4" "$5" "$mark")")
}

run_matrix() {  # name django_db our_database_url
    local name=$1 django_db=$2 url=$3
    django_manage "$django_db" migrate -v0
    django "$django_db" seed "$work/$name-keys.json"
    local port
    port=$(for p in $(seq 18600 18700); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; break; }; done)
    export API_KEY_SCHEMA=drf DATABASE_URL="$url" ADMIN_PASSWORD=interop
    (cd "$work" && exec "$binary" serve --hostname 127.0.0.1 --port "$port" >"$work/$name-server.log" 2>&1) &
    server_pid=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/public" >/dev/null 2>&1 && break; sleep 0.1; done
    status() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Api-Key $1" "http://127.0.0.1:$port/api/protected"; }
    key() { python3 -c "import json,sys; print(json.load(open('$work/$name-keys.json'))['keys']['$1'])"; }

    # Django -> Swift: each key Django made gets the right answer from our service.
    for case in valid:200 revoked:401 expired:401 tomorrow:200 legacy_pbkdf2_sha256:200 legacy_argon2:200 legacy_bcrypt_sha256:200; do
        label=${case%%:*}
        record "$name" "django -> swift" "$label" "${case##*:}" "$(status "$(key "$label")")"
    done
    valid=$(key valid)
    record "$name" "django -> swift" "valid prefix, wrong secret" 401 "$(status "${valid%%.*}.$(printf 'x%.0s' $(seq 1 32))")"

    # Swift -> Django: keys our CLI makes and revokes, judged by Django's is_valid.
    cli() { (cd "$work" && "$binary" "$@" 2>/dev/null); }
    made=$(cli api-keys create --name swift-made)
    revoked=$(cli api-keys create --name swift-revoked)
    cli api-keys revoke "${revoked%%.*}" >/dev/null
    # The CLI refuses an expiry that has passed: this key expires four seconds from now, and is
    # judged after that.
    expired=$(cli api-keys create --name swift-expired --expires "$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)")
    dated=$(cli api-keys create --name swift-dated --expires "2099-12-31T23:59:59.5Z")
    record "$name" "swift -> swift" "made by our CLI" 200 "$(status "$made")"
    sleep 4
    python3 - "$work/$name-keys.json" "$work/$name-check.json" "$made" "$revoked" "$expired" "$dated" <<'PY'
import json, sys
seeded = json.load(open(sys.argv[1]))
made, revoked, expired, dated = sys.argv[3:7]
expect = {made: True, revoked: False, expired: False, dated: True}
for label in ["legacy_pbkdf2_sha256", "legacy_argon2", "legacy_bcrypt_sha256"]:
    expect[seeded["keys"][label]] = True
json.dump({"expect": expect, "legacy": seeded["legacy_ids"]}, open(sys.argv[2], "w"))
PY
    declare -A labels=(["${made%%.*}"]="made by our CLI" ["${revoked%%.*}"]="revoked by our CLI" ["${expired%%.*}"]="expired, made by our CLI" ["${dated%%.*}"]="expiry with fraction, our CLI")
    for legacy in legacy_pbkdf2_sha256 legacy_argon2 legacy_bcrypt_sha256; do
        legacy_key=$(key "$legacy")
        labels["${legacy_key%%.*}"]="$legacy, after our upgrade"
    done
    while read -r line; do
        prefix=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['prefix'])" "$line")
        check=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['check'])" "$line")
        expected=$(python3 -c "import json,sys; print(str(json.loads(sys.argv[1])['expected']).lower())" "$line")
        got=$(python3 -c "import json,sys; print(str(json.loads(sys.argv[1])['got']).lower())" "$line")
        label=${labels[$prefix]:-$prefix}
        [ "$check" = "django is_valid" ] || label="${label%, after our upgrade}: id kept"
        record "$name" "swift -> django" "$label" "$expected" "$got"
    done < <(django "$django_db" check "$work/$name-check.json" | grep '^{')
    # Our service guarded Django's table when it migrated (GuardRevocation): Django still works
    # with it, and cannot bring a revoked key back.
    while read -r line; do
        label=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['prefix'])" "$line")
        expected=$(python3 -c "import json,sys; print(str(json.loads(sys.argv[1])['expected']).lower())" "$line")
        got=$(python3 -c "import json,sys; print(str(json.loads(sys.argv[1])['got']).lower())" "$line")
        record "$name" "guard" "$label" "$expected" "$got"
    done < <(INTEROP_REVOKED_KEY="$(key revoked)" django "$django_db" guard "$work/$name-guard.json" | grep '^{')
    # Our CLI lists what Django made, dates and all.
    listed=$(cli api-keys list --json | python3 -c "import json,sys; rows=json.load(sys.stdin); print(sum(1 for r in rows if r['name'].startswith('django-')))")
    record "$name" "django -> swift" "Django's rows in api-keys list" 4 "$listed"

    # The bad-request corpus, replayed against both servers on the same table.
    local django_port django_pid
    django_port=$(for p in $(seq 18701 18800); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; break; }; done)
    (django_serve "$django_db" "$django_port" >"$work/$name-django.log" 2>&1) &
    django_pid=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$django_port/open" >/dev/null 2>&1 && break; sleep 0.1; done
    python3 - "$work/$name-keys.json" "$work/$name-corpus-keys.json" <<'PY'
import json, sys
keys = json.load(open(sys.argv[1]))["keys"]
valid = keys["valid"]
json.dump({"valid": valid, "revoked": keys["revoked"], "expired": keys["expired"],
           "unknown_prefix": "zzzzzzzz." + "a" * 32, "wrong_secret": valid.split(".")[0] + "." + "b" * 32}, open(sys.argv[2], "w"))
PY
    if python3 scripts/hardening/send_corpus.py --keys "$work/$name-corpus-keys.json" \
        --server swift="http://127.0.0.1:$port/api/protected" --server django="http://127.0.0.1:$django_port/protected" \
        | tee "$work/$name-corpus.txt"; then corpus=ok; else corpus=failed; fi
    record "$name" "corpus" "$(head -1 "$work/$name-corpus.txt" | cut -d' ' -f1) requests, both servers as expected" ok "$corpus"
    kill "$django_pid" 2>/dev/null; wait "$django_pid" 2>/dev/null || true

    kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true
    server_pid=""
    grep -qE "$valid|$made" "$work/$name-server.log" && record "$name" "logs" "no key in the server log" clean leaked || record "$name" "logs" "no key in the server log" clean clean
}

run_matrix sqlite "$work/shared.sqlite3" "sqlite://$work/shared.sqlite3"
if [ -n "${APIKEY_TEST_POSTGRES_URL:-}" ]; then
    base=${APIKEY_TEST_POSTGRES_URL%%\?*}
    db="interop_$$"
    PGPASSWORD=apikey psql "${base%/*}/postgres" -qc "CREATE DATABASE $db" >/dev/null
    run_matrix postgres "${base%/*}/$db" "${base%/*}/$db?sslmode=disable"
    PGPASSWORD=apikey psql "${base%/*}/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
elif [ "${CI:-}" = "true" ]; then
    echo "interop: PostgreSQL is required in CI" >&2; exit 1
else
    echo "interop: APIKEY_TEST_POSTGRES_URL not set, PostgreSQL skipped" >&2
fi

printf '%-10s %-16s %-34s %-8s %-8s %s\n' database direction case expected got result
printf '%s\n' "${rows[@]}"
[ "$failures" -eq 0 ] || { echo "interop: $failures of ${#rows[@]} checks failed" >&2; exit 1; }
echo "Interop with djangorestframework-api-key: all ${#rows[@]} checks passed"
