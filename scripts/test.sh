#!/usr/bin/env bash
# The project's test command. In order:
#   1. cargo fmt --all -- --check
#   2. cargo clippy --workspace --all-targets -- -D warnings
#   3. cargo test --workspace — unit, integration (SQLite always, PostgreSQL through
#      YINGJI_TEST_DATABASE_URL) and browser tests (headless Chromium, screenshots in
#      target/screenshots/).
#
# PostgreSQL: when YINGJI_TEST_DATABASE_URL is unset, a throwaway server is started with
# scripts/start-postgres.sh and removed afterwards. Without PostgreSQL binaries this fails, unless
# YINGJI_SKIP_POSTGRES=1 (then the suite runs on SQLite only).
# Arguments replace `--workspace` in step 3, e.g. `scripts/test.sh -p e2e` (steps 1–2 always cover
# the whole workspace).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=$SECONDS
step="setup"
databases="SQLite"

elapsed() {
    local s=$((SECONDS - started))
    printf '%dm%02ds' $((s / 60)) $((s % 60))
}

on_exit() {
    local rc=$?
    echo
    if [[ $rc == 0 ]]; then
        echo "==> PASSED: fmt, clippy and tests on ${databases} in $(elapsed)"
    else
        echo "==> FAILED at step \"${step}\" (exit ${rc}) after $(elapsed)" >&2
    fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run() {
    step="$*"
    echo
    echo "==> $* ($(elapsed))"
    "$@"
}

run cargo fmt --all -- --check
run cargo clippy --workspace --all-targets -- -D warnings

step="PostgreSQL"
if [[ -n "${YINGJI_TEST_DATABASE_URL:-}" ]]; then
    databases="SQLite + PostgreSQL (${YINGJI_TEST_DATABASE_URL%%@*}@…)"
    echo
    echo "==> PostgreSQL: using YINGJI_TEST_DATABASE_URL from the environment"
elif bash scripts/start-postgres.sh --bindir >/dev/null 2>&1; then
    echo
    echo "==> PostgreSQL: starting a throwaway server ($(elapsed))"
    # shellcheck source=scripts/start-postgres.sh
    source scripts/start-postgres.sh >/dev/null
    databases="SQLite + PostgreSQL"
elif [[ "${YINGJI_SKIP_POSTGRES:-}" == 1 ]]; then
    {
        echo
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        echo "!!  PostgreSQL binaries not found; YINGJI_SKIP_POSTGRES=1, so the suite runs"
        echo "!!  on SQLite ONLY. PostgreSQL (the production database) is NOT tested."
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    } >&2
    databases="SQLite only (PostgreSQL SKIPPED)"
else
    {
        echo
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        echo "!!  PostgreSQL binaries not found (no /usr/lib/postgresql/*/bin/initdb, no initdb"
        echo "!!  on PATH, YINGJI_PG_BIN unset or wrong) and YINGJI_TEST_DATABASE_URL is unset."
        echo "!!  The suite must run on PostgreSQL too. Either:"
        echo "!!    apt-get install postgresql            (or run .ci/run, which installs it)"
        echo "!!    export YINGJI_TEST_DATABASE_URL=postgres://user@host:port/postgres"
        echo "!!    YINGJI_SKIP_POSTGRES=1 scripts/test.sh   (SQLite only, not for CI)"
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    } >&2
    exit 1
fi

if [[ $# -gt 0 ]]; then
    run cargo test "$@"
else
    run cargo test --workspace
fi
