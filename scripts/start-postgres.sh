#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite: a fresh cluster in a temporary directory, listening
# on 127.0.0.1 on a free port, trust authentication (local test use only), a role `yingji` with
# CREATEDB (the test harness creates one database per test through the admin URL).
#
# Two ways to use it:
#
#   source scripts/start-postgres.sh     # in a bash script: exports YINGJI_TEST_DATABASE_URL and
#                                        # stops the cluster (and deletes it) when that script exits
#   scripts/start-postgres.sh            # in a terminal: prints the export line, keeps the cluster
#                                        # running until Ctrl-C, then stops and deletes it
#   scripts/start-postgres.sh --bindir   # print the PostgreSQL binaries it would use (exit 1 if none)
#
# Binaries: $YINGJI_PG_BIN if set, else the newest /usr/lib/postgresql/*/bin (Debian's
# `postgresql` package), else initdb on PATH. PostgreSQL refuses to run as root: as root the cluster
# runs as the system user `yingji-pg` (created if missing).

yingji_pg_bindir() {
    if [[ -n "${YINGJI_PG_BIN:-}" ]]; then
        [[ -x "$YINGJI_PG_BIN/initdb" ]] && { echo "$YINGJI_PG_BIN"; return 0; }
        echo "start-postgres: YINGJI_PG_BIN=$YINGJI_PG_BIN has no initdb" >&2
        return 1
    fi
    local dir newest=""
    while IFS= read -r dir; do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && newest="$dir"
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V)
    if [[ -n "$newest" ]]; then
        echo "$newest"
        return 0
    fi
    local initdb
    if initdb=$(command -v initdb 2>/dev/null); then
        dirname "$initdb"
        return 0
    fi
    return 1
}

# Run a command as the cluster's owner.
yingji_pg_as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u "$YINGJI_PG_USER" -- "$@"
    else
        "$@"
    fi
}

yingji_pg_stop() {
    if [[ -n "${YINGJI_PG_DATA:-}" && -d "$YINGJI_PG_DATA" ]]; then
        yingji_pg_as_owner "$YINGJI_PG_BINDIR/pg_ctl" stop -D "$YINGJI_PG_DATA/data" -m immediate -s >/dev/null 2>&1 || true
        rm -rf -- "$YINGJI_PG_DATA"
        echo "start-postgres: stopped the throwaway PostgreSQL and removed $YINGJI_PG_DATA" >&2
    fi
    YINGJI_PG_DATA=""
}

yingji_pg_start() {
    YINGJI_PG_BINDIR=$(yingji_pg_bindir) || {
        echo "start-postgres: no PostgreSQL binaries found (install Debian's \`postgresql\` package, or set YINGJI_PG_BIN)" >&2
        return 1
    }
    YINGJI_PG_USER=$(id -un)
    if [[ "$(id -u)" == 0 ]]; then
        YINGJI_PG_USER=yingji-pg
        if ! id "$YINGJI_PG_USER" >/dev/null 2>&1; then
            useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$YINGJI_PG_USER" || {
                echo "start-postgres: could not create the system user $YINGJI_PG_USER" >&2
                return 1
            }
        fi
        # /tmp, not $TMPDIR: the cluster's user must be able to reach the directory.
        YINGJI_PG_DATA=$(mktemp -d /tmp/yingji-pg.XXXXXX) || return 1
        chown "$YINGJI_PG_USER:" "$YINGJI_PG_DATA" || return 1
    else
        YINGJI_PG_DATA=$(mktemp -d "${TMPDIR:-/tmp}/yingji-pg.XXXXXX") || return 1
    fi
    local data="$YINGJI_PG_DATA/data" log="$YINGJI_PG_DATA/postgres.log"
    if ! yingji_pg_as_owner "$YINGJI_PG_BINDIR/initdb" -D "$data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$YINGJI_PG_DATA/initdb.log" 2>&1; then
        echo "start-postgres: initdb failed:" >&2
        cat "$YINGJI_PG_DATA/initdb.log" >&2
        yingji_pg_stop
        return 1
    fi
    # Throwaway settings: no durability, room for many parallel test databases.
    cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$YINGJI_PG_DATA'
max_connections = 400
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
dynamic_shared_memory_type = mmap
log_min_messages = warning
EOF
    local attempt port=""
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 30000))
        # Skip a port something already answers on; a race is caught by the start failing.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            port=""
            continue
        fi
        if yingji_pg_as_owner "$YINGJI_PG_BINDIR/pg_ctl" start -D "$data" -l "$log" -w -t 60 -s \
            -o "-p $port" >/dev/null 2>&1; then
            break
        fi
        port=""
    done
    if [[ -z "$port" ]]; then
        echo "start-postgres: PostgreSQL did not start:" >&2
        tail -n 20 "$log" >&2 2>/dev/null || true
        yingji_pg_stop
        return 1
    fi
    if ! "$YINGJI_PG_BINDIR/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE yingji LOGIN CREATEDB" >/dev/null; then
        echo "start-postgres: could not create the role yingji" >&2
        yingji_pg_stop
        return 1
    fi
    export YINGJI_TEST_DATABASE_URL="postgres://yingji@127.0.0.1:$port/postgres"
    local version
    version=$("$YINGJI_PG_BINDIR/postgres" --version 2>/dev/null || echo PostgreSQL)
    echo "start-postgres: $version on 127.0.0.1:$port (data in $YINGJI_PG_DATA, user $YINGJI_PG_USER)" >&2
    echo "export YINGJI_TEST_DATABASE_URL=$YINGJI_TEST_DATABASE_URL"
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    # Sourced: start, and stop when the sourcing shell exits (keeping its own EXIT trap and status).
    if yingji_pg_start; then
        __yingji_pg_prev_trap=$(trap -p EXIT)
        __yingji_pg_prev_trap=${__yingji_pg_prev_trap#"trap -- '"}
        __yingji_pg_prev_trap=${__yingji_pg_prev_trap%"' EXIT"}
        __yingji_pg_status() { return "$1"; }
        __yingji_pg_on_exit() {
            local rc=$?
            yingji_pg_stop
            [[ -n "$__yingji_pg_prev_trap" ]] || return 0
            # Run the caller's own EXIT trap with $? as it was (errexit-safe).
            if [[ $rc == 0 ]]; then
                eval "$__yingji_pg_prev_trap"
            else
                __yingji_pg_status "$rc" || eval "$__yingji_pg_prev_trap"
            fi
        }
        trap __yingji_pg_on_exit EXIT
    else
        return 1
    fi
else
    set -euo pipefail
    if [[ "${1:-}" == "--bindir" ]]; then
        yingji_pg_bindir
        exit $?
    fi
    yingji_pg_start
    trap yingji_pg_stop EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    echo "start-postgres: running; press Ctrl-C to stop and delete it" >&2
    while :; do sleep 3600 & wait $!; done
fi
