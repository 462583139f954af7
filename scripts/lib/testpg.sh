# A throwaway Postgres cluster on loopback for the test run: its own data directory under the
# build tree, its own free port, fsync off. Works as root by running the server as `postgres`.
# shellcheck shell=bash

boo_free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null || { echo "$port"; return 0; }
    done
    boo_die "no free port found for the test Postgres"
}

# boo_pg_start DIR: starts the cluster and exports BOO_TEST_PG, BOO_TEST_PG_CTL, BOO_TEST_PG_REQUIRED.
boo_pg_start() {
    local dir="$1" port bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -x "$bin/initdb" ] || boo_die "Postgres server binaries not found under /usr/lib/postgresql"
    port="${BOO_TEST_PG_PORT:-$(boo_free_port)}"

    local runas=()
    if [ -f "$dir/ctl" ]; then "$dir/ctl" stop -m immediate >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$dir"
        runas=(runuser -u postgres --)
    fi
    "${runas[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; boo_die "initdb failed"; }

    # Tests that simulate a database outage call "$BOO_TEST_PG_CTL stop -m fast" and "... start".
    cat >"$dir/ctl" <<CTL
#!/bin/sh
exec ${runas[*]} "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \\
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" "\$@"
CTL
    chmod +x "$dir/ctl"
    "$dir/ctl" start >/dev/null || { cat "$dir/server.log" >&2; boo_die "the test Postgres did not start"; }

    export BOO_TEST_PG="postgres://postgres@127.0.0.1:$port/postgres"
    export BOO_TEST_PG_CTL="$dir/ctl"
    export BOO_TEST_PG_REQUIRED=1
    BOO_PG_DIR="$dir"
    boo_log "test Postgres on 127.0.0.1:$port ($dir)"
}

boo_pg_stop() {
    [ -n "${BOO_PG_DIR:-}" ] && [ -x "$BOO_PG_DIR/ctl" ] && "$BOO_PG_DIR/ctl" stop -m immediate >/dev/null 2>&1
    return 0
}
