#!/usr/bin/env bash
# The performance harness in one command: installs wrk (Debian) when missing, builds the release
# binary and the ceilings bench, then runs scripts/bench.py (arguments passed on; see its --help).
# Results print as Markdown for docs/PERFORMANCE.md and are kept in target/bench/results-*.json.
#
#   scripts/bench.sh                                   # county, 5 years, SQLite
#   scripts/bench.sh --backend postgres                # the same on a throwaway PostgreSQL
#   cargo bench -p yingji --bench micro                # the pure functions (criterion)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v wrk >/dev/null 2>&1; then
    if [[ "$(id -u)" != 0 ]]; then
        echo "!! wrk is missing: apt-get install wrk (as root)" >&2
        exit 1
    fi
    apt-get update -q && apt-get install -y -q --no-install-recommends wrk
fi
cargo build --release -q -p yingji
cargo bench -q -p yingji --bench ceilings --no-run
exec python3 scripts/bench.py "$@"
