# A throwaway PostgreSQL cluster for tests and benchmarks: in a temporary folder, on a free
# port of 127.0.0.1 below 32768, trusting local connections, stopped and deleted on exit.
# Source this file, then call start_test_postgres; it sets TEST_POSTGRES_URL.

postgres_bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_postgres() {
    [ "$(id -u)" = "0" ] || return 1
    command -v apt-get >/dev/null || return 1
    echo "Installing PostgreSQL from Debian's packages..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

free_port() {
    local port
    for port in $(seq 25432 25532); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Runs a command as the cluster's owner: initdb and postgres refuse to run as root.
as_postgres_owner() {
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

postgres_version() {
    "$PG_BIN/postgres" --version | awk '{print $3}'
}

stop_test_postgres() {
    if [ -n "${TEST_POSTGRES_DIR:-}" ] && [ -d "$TEST_POSTGRES_DIR" ]; then
        as_postgres_owner "$PG_BIN/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$TEST_POSTGRES_DIR"
    fi
}

start_test_postgres() {
    PG_BIN=$(postgres_bin_dir) || { install_postgres && PG_BIN=$(postgres_bin_dir); } || return 1
    local port
    port=$(free_port) || return 1
    TEST_POSTGRES_DIR=$(mktemp -d /tmp/apikey-postgres.XXXXXX)
    trap stop_test_postgres EXIT
    if [ "$(id -u)" = "0" ]; then chown postgres "$TEST_POSTGRES_DIR"; fi
    as_postgres_owner "$PG_BIN/initdb" -D "$TEST_POSTGRES_DIR/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null || return 1
    as_postgres_owner "$PG_BIN/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -l "$TEST_POSTGRES_DIR/server.log" -w -t 30 \
        -o "-p $port -k $TEST_POSTGRES_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=500" \
        start >/dev/null || { cat "$TEST_POSTGRES_DIR/server.log" >&2; return 1; }
    local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q)
    "${psql[@]}" -c "CREATE ROLE apikey LOGIN CREATEDB PASSWORD 'apikey'" || return 1
    "${psql[@]}" -c "CREATE DATABASE apikey_test OWNER apikey" || return 1
    TEST_POSTGRES_URL="postgres://apikey:apikey@127.0.0.1:$port/apikey_test?sslmode=disable"
    TEST_POSTGRES_DISPLAY_URL="postgres://apikey@127.0.0.1:$port/apikey_test"
    # Prove the server answers the way the tests will connect: over TCP, with a password.
    PGPASSWORD=apikey "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U apikey -d apikey_test -tAq -c "SELECT 1" >/dev/null || return 1
}
