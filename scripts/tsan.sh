#!/usr/bin/env bash
# ThreadSanitizer: builds everything with --sanitize=thread in a scratch folder of its own
# (.build-tsan), runs the concurrency, cache, service and identity tests under it, then serves
# each example, Vapor's and Hummingbird's (on PostgreSQL), and sends it concurrent requests on
# cache hits of /api/organization and /api/protected. Any report fails the run. Needs APIKEY_TEST_POSTGRES_URL for the example part.
#
#   bash scripts/tsan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-tsan
filter=${TSAN_FILTER:-"Concurrency|Cache|ServiceTests|StoreConformance|AuthenticationTests|PresentedCredentials|BlockingWorkers|LegacyFlood|ChangeWatcher|HummingbirdAuthentication|KeysOnRoutesTests|CompositionTests|UsageTests|UsageRecorder|UsageOnRoutes|RateLimit|Observability"}
# Suppressions name code that is not ours, each with its reason (scripts/tsan-suppressions.txt).
export TSAN_OPTIONS="second_deadlock_stack=1 history_size=4 suppressions=$(pwd)/scripts/tsan-suppressions.txt"

swift build --build-tests --sanitize=thread --scratch-path "$scratch"
work=$(mktemp -d /tmp/apikey-tsan.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The tests. A report makes the test process exit non-zero (TSan's exit code 66).
swift test --skip-build --sanitize=thread --scratch-path "$scratch" --filter "$filter" 2>&1 | tee "$work/tests.log" | grep -E "^(✔|✘|━) Test run|ThreadSanitizer" || true
test_reports=$(grep -c "WARNING: ThreadSanitizer" "$work/tests.log" || true)
test_summary=$(grep -E "^(✔|✘|━) Test run" "$work/tests.log" | tail -n 1)
if [[ "$test_summary" != *" passed after "* ]]; then
    # What failed, and every report's stacks, so that a failed CI run says where.
    echo "tsan: the tests failed under ThreadSanitizer" >&2
    grep -aE "^✘ .*(recorded an issue|Caught error)" "$work/tests.log" | head -40 >&2 || true
    grep -a -B2 -A60 "WARNING: ThreadSanitizer" "$work/tests.log" | head -300 >&2 || true
    exit 1
fi

# The example's routes under concurrent load, on cache hits.
if [ -z "${APIKEY_TEST_POSTGRES_URL:-}" ]; then
    [ "${CI:-}" = "true" ] && { echo "tsan: PostgreSQL is required in CI" >&2; exit 1; }
    echo "tsan: $test_summary; $test_reports reports. APIKEY_TEST_POSTGRES_URL not set: the example's run is skipped" >&2
    exit 0
fi
base=${APIKEY_TEST_POSTGRES_URL%%\?*}; base=${base%/*}
db="tsan_$$"
PGPASSWORD=apikey psql "$base/postgres" -qc "CREATE DATABASE $db" >/dev/null
trap 'cleanup; PGPASSWORD=apikey psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
bin="$(swift build --sanitize=thread --scratch-path "$scratch" --show-bin-path)"
export DATABASE_URL="$base/$db?sslmode=disable" ADMIN_PASSWORD=tsan LOG_LEVEL=warning
key=$(cd "$work" && "$bin/api-key-example" api-keys create --name tsan 2>/dev/null)
# An organization key, written as the manager writes one: the SHA-512 of the whole key.
org_key="tsanOrg1.$(python3 -c 'import secrets,string; print("".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32)))')"
org_hash="sha512\$\$$(printf '%s' "$org_key" | sha512sum | cut -d' ' -f1)"
PGPASSWORD=apikey psql "$base/$db" -qc "INSERT INTO organization_api_keys (id, prefix, hashed_key, name, created_at, revoked, organization_id) SELECT gen_random_uuid(), 'tsanOrg1', '$org_hash', 'tsan', now(), false, id FROM organizations WHERE name = 'Acme'" >/dev/null
# Both examples, one after the other, on the same keys.
for example in api-key-example api-key-example-hummingbird; do
    port=$(for p in $(seq 19200 19300); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; break; }; done)
    (cd "$work" && exec "$bin/$example" serve --hostname 127.0.0.1 --port "$port" >"$work/$example.log" 2>&1) &
    server_pid=$!
    for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/api/public" >/dev/null 2>&1 && break; sleep 0.1; done
    python3 - "$port" "$org_key" "$key" "$example" <<'PY'
import http.client, sys, threading
port, org_key, key, example = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
counts, lock = {}, threading.Lock()
def client(path, presented):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(150):
        connection.request("GET", path, headers={"Authorization": f"Api-Key {presented}"})
        response = connection.getresponse()
        body = response.read()
        with lock:
            counts[(path, response.status)] = counts.get((path, response.status), 0) + 1
        if path == "/api/organization" and response.status == 200 and b"Acme" not in body:
            raise SystemExit(f"wrong organization: {body!r}")
threads = [threading.Thread(target=client, args=("/api/organization", org_key)) for _ in range(6)]
threads += [threading.Thread(target=client, args=("/api/protected", key)) for _ in range(2)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(f"tsan load ({example}):", ", ".join(f"{path} {status}: {n}" for (path, status), n in sorted(counts.items())))
assert counts.get(("/api/organization", 200)) == 900 and counts.get(("/api/protected", 200)) == 300, counts
PY
    kill -INT "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
example_reports=$(cat "$work"/api-key-example*.log | grep -c "WARNING: ThreadSanitizer" || true)
if [ "$example_reports" != 0 ] || [ "$test_reports" != 0 ]; then
    # Both stacks of every report, so that a failed CI run says where.
    grep -A60 "WARNING: ThreadSanitizer" "$work/tests.log" | head -300 >&2 || true
    cat "$work"/api-key-example*.log | grep -A60 "WARNING: ThreadSanitizer" | head -300 >&2 || true
    echo "tsan: $test_reports reports in the tests, $example_reports in the examples" >&2
    exit 1
fi
echo "ThreadSanitizer: ${test_summary#* }; each example (Vapor, Hummingbird) served 1,200 concurrent requests on cache hits; reports: 0"
