#!/usr/bin/env bash
# The apps of the README and the DocC articles (Samples/): a package of their own that depends on
# this one, so they build against its public API only, as a user's app does, and show any warning
# the package prints as a dependency. Then each is used as its user would: the key commands in a
# shell (only the key on standard output, mistakes as one `Error:` line), the server, and curl.
#
#   bash scripts/samples/test-samples.sh
#
# SAMPLES_SCRATCH_PATH chooses the build folder: by default the package's own (.build), whose
# compiled dependencies the samples then reuse.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=${SAMPLES_SCRATCH_PATH:-.build}

build_log=$(mktemp)
if ! swift build --package-path Samples --scratch-path "$scratch" >"$build_log" 2>&1; then
    grep -E -A6 "error:" "$build_log" || tail -n 40 "$build_log"
    echo "samples: the articles' apps do not build" >&2
    exit 1
fi
if grep -E "^(/|macro expansion).*: warning:" "$build_log" | grep -v "/checkouts/"; then
    echo "samples: building them printed warnings (above)" >&2
    exit 1
fi
rm -f "$build_log"
bin=$(swift build --package-path Samples --scratch-path "$scratch" --show-bin-path)

work=$(mktemp -d /tmp/apikey-samples.XXXXXX)
server_pid=""
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
trap 'stop_server; rm -rf "$work"' EXIT
passed=0
fail() { echo "samples: $*" >&2; [ -f "$work/server.log" ] && tail -n 20 "$work/server.log" >&2; exit 1; }
check() { passed=$((passed + 1)); echo "  ok: $*"; }
key_shape='^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$'
port=$(for p in $(seq 18680 18780); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; break; }; done)

# Starts "$@" in the background and waits until GET $url answers.
serve() {
    local url=$1; shift
    (cd "$work" && exec "$@" >"$work/server.log" 2>&1) &
    server_pid=$!
    for _ in $(seq 1 150); do curl -s -o /dev/null "$url" && return 0; sleep 0.1; done
    fail "$1 did not start"
}
# A mistake: a non-zero exit, one `Error:` line on standard error (followed, for a mistyped
# command line, by the usage lines of swift-argument-parser), no backtrace, nothing on standard
# output.
one_error_line() {
    local expected=$1; shift
    if (cd "$work" && "$@") >"$work/out" 2>"$work/err"; then fail "$* succeeded"; fi
    [ ! -s "$work/out" ] || fail "$* printed on standard output: $(head -c 300 "$work/out")"
    # The app's log lines (Vapor's start with `[ LEVEL ]`, swift-log's with the time) may come
    # first; the error is the first other line.
    grep -vE "^(\[|[0-9]{4}-[0-9]{2}-[0-9]{2}T)" "$work/err" | grep -v "^$" >"$work/err.lines" || true
    head -n 1 "$work/err.lines" | grep -q "^Error: .*$expected" || fail "$* printed: $(head -c 600 "$work/err.lines")"
    [ "$(grep -c "^Error:" "$work/err.lines")" = 1 ] || fail "$* printed more than one error: $(head -c 600 "$work/err")"
    if tail -n +2 "$work/err.lines" | grep -vE "^(Help:|Usage:|  )" | grep -q .; then fail "$* printed more than its error and usage: $(head -c 600 "$work/err")"; fi
    grep -qiE "fatal error|backtrace|0x[0-9a-f]{8}" "$work/err" && fail "$* crashed: $(head -c 600 "$work/err")"
    return 0
}

for app in VaporQuickStart HummingbirdQuickStart; do
    echo "$app:"
    export DATABASE_PATH="$work/$app.sqlite"
    # Vapor's template logs to standard output (its migrations at info): the key alone must come out.
    key=$(cd "$work" && "$bin/$app" api-keys create --name demo 2>/dev/null)
    [[ "$key" =~ $key_shape ]] || fail "$app api-keys create printed '$key', not the key alone"
    check "KEY=\$($app api-keys create --name demo) captures the key alone"
    one_error_line "no API key has the prefix zzzzzzzz" "$bin/$app" api-keys revoke zzzzzzzz
    [ "$(grep -c "" "$work/err.lines")" = 1 ] || fail "a runtime mistake printed more than one line: $(cat "$work/err.lines")"
    one_error_line "--name" "$bin/$app" api-keys create
    check "a mistyped prefix (one line), a missing option (its usage follows): one Error: line, a non-zero exit, no backtrace"
    one_error_line "SQLite" env DATABASE_PATH=/nonexistent/folder/db.sqlite "$bin/$app" api-keys list
    check "a database that cannot be opened: one Error: line, a non-zero exit, no crash"
    (cd "$work" && "$bin/$app" api-keys list 2>/dev/null) | grep -q "${key%%.*}  demo" || fail "$app api-keys list"
    check "api-keys list shows it"
    if [ "$app" = VaporQuickStart ]; then
        serve "http://127.0.0.1:$port/hello" "$bin/$app" serve --hostname 127.0.0.1 --port "$port"
        route="http://127.0.0.1:$port/hello"
    else
        PORT=$port serve "http://127.0.0.1:$port/api/protected" "$bin/$app"
        route="http://127.0.0.1:$port/api/protected"
    fi
    [ "$(curl -s -H "Authorization: Api-Key $key" "$route")" = "Hello, demo!" ] || fail "$route with the key"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$route")" = 401 ] || fail "$route without a key"
    check "the route answers the key with its name, and 401 without one"
    stop_server
done

for app in CompanyKeys HummingbirdCompanyKeys; do
    echo "$app (a custom key model with an owner):"
    export DATABASE_PATH="$work/$app.sqlite"
    acme=$(cd "$work" && "$bin/$app" api-keys create --company Acme --name ci 2>/dev/null)
    [[ "$acme" =~ $key_shape ]] || fail "$app create --company Acme printed '$acme'"
    initech=$(cd "$work" && "$bin/$app" api-keys create --company Initech --name ci 2>/dev/null)
    check "api-keys create --company NAME prints the company's key alone"
    one_error_line "no company is named Nobody" "$bin/$app" api-keys create --company Nobody --name ci
    one_error_line "company" "$bin/$app" api-keys create --name ci
    check "an unknown company, or none: one Error: line, a non-zero exit"
    (cd "$work" && "$bin/$app" api-keys list --company Acme 2>/dev/null) | grep -q "${acme%%.*}" || fail "list --company Acme"
    (cd "$work" && "$bin/$app" api-keys list --company Acme 2>/dev/null) | grep -q "${initech%%.*}" && fail "list --company Acme shows Initech's key"
    check "list --company shows that company's keys only"
    if [ "$app" = CompanyKeys ]; then
        serve "http://127.0.0.1:$port/company" "$bin/$app" serve --hostname 127.0.0.1 --port "$port"
    else
        PORT=$port serve "http://127.0.0.1:$port/company" "$bin/$app"
    fi
    [ "$(curl -s -H "Authorization: Api-Key $acme" "http://127.0.0.1:$port/company")" = "Hello, Acme!" ] || fail "Acme's key"
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Api-Key $initech" "http://127.0.0.1:$port/company")" = 401 ] || fail "inactive Initech's key was accepted"
    check "an active company's key gets its name (read with the key, no query of its own); an inactive one's 401"
    stop_server
done
echo "Samples: all $passed checks passed"
