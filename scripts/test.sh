#!/usr/bin/env bash
# Runs the whole test suite, as CI does: starts a throwaway PostgreSQL server on 127.0.0.1
# (installing Debian's package first if it is missing) and builds once. Then, for both example
# services (Vapor's and Hummingbird's): the end-to-end tests (the CLI against the running
# service, the admin panel in headless Chromium and the sign-in: scripts/example/), a
# database crash and restart under load (scripts/faults/), two instances and the CLI on one
# database, where a revocation must reach both within 100 ms (scripts/instances/), and the
# interop tests against the real djangorestframework-api-key (scripts/interop/, with our Django
# project in scripts/django). Then the bad-request corpus against both at once, which must
# answer alike (scripts/hummingbird/), the README's and the articles' apps built as a user's app
# depends on the package and used as a user would (scripts/samples/), the DocC catalogs with
# warnings as errors, a short fuzzing run of every libFuzzer target (scripts/fuzz.sh, 20 s
# each unless FUZZ_SECONDS says otherwise), the concurrency tests and the example under
# ThreadSanitizer (scripts/tsan.sh, a build of its own), and last `swift test`, whose summary is
# the last line. Any compiler warning from our code fails the run.
#
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh --filter Legacy # only `swift test --filter Legacy`
#
# Tests that need PostgreSQL read APIKEY_TEST_POSTGRES_URL. Outside CI, if PostgreSQL is absent
# and cannot be installed, they skip and say so; in CI (CI=true) that is an error.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh

if start_test_postgres; then
    export APIKEY_TEST_POSTGRES_URL="$TEST_POSTGRES_URL"
    echo "PostgreSQL $(postgres_version) for the tests: $TEST_POSTGRES_DISPLAY_URL"
elif [ "${CI:-}" = "true" ]; then
    echo "error: PostgreSQL could not be started, and CI must run every test" >&2
    exit 1
else
    echo "warning: PostgreSQL is not available; tests that need it will be skipped" >&2
fi

# The management API's generated code matches its contract (OpenAPI/api-keys.yaml).
bash scripts/openapi/generate.sh --check

build_log=$(mktemp)
swift build --build-tests 2>&1 | tee "$build_log"
# No warnings from our own code (SwiftPM silences its dependencies' code; what is left is ours,
# which users would see when they build the package). CI builds from scratch, so it sees all.
if grep -E "^(/|macro expansion).*: warning:" "$build_log" | grep -v "/.build/checkouts/"; then
    echo "error: the build printed warnings (above); the package must build without any" >&2
    exit 1
fi
rm -f "$build_log"
if [ $# -eq 0 ]; then
    bin=$(swift build --show-bin-path)
    for example in api-key-example api-key-example-hummingbird; do
        bash scripts/example/test-example.sh "$bin/$example"
        bash scripts/faults/test-database-faults.sh "$bin/$example"
        bash scripts/instances/test-two-instances.sh "$bin/$example"
        bash scripts/interop/test-django.sh "$bin/$example"
        bash scripts/management/test-schemathesis.sh "$bin/$example"
    done
    bash scripts/hummingbird/test-parity.sh "$bin"
    bash scripts/samples/test-samples.sh
    # The DocC catalogs, with every warning (a broken link, a missing article) an error.
    for target in APIKeyVapor APIKeyHummingbird APIKeyFluent; do
        docc_log=$(mktemp)
        if ! swift package generate-documentation --target "$target" --warnings-as-errors >"$docc_log" 2>&1; then
            grep -E -A8 "^(error|warning): " "$docc_log" | grep -v "distributed-tracing" | head -n 60
            echo "error: the documentation of $target does not build cleanly" >&2
            exit 1
        fi
        rm -f "$docc_log"
        echo "Documentation of $target: built, no warnings"
    done
    FUZZ_SECONDS=${FUZZ_SECONDS:-20} bash scripts/fuzz.sh
    bash scripts/tsan.sh
fi
swift test --skip-build "$@"
