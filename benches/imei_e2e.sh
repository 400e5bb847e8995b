#!/usr/bin/env bash
# End-to-end IMEI bulk-check benchmark: `spectra imei check` against the same
# job in DuckDB SQL (read the CSV, classify, join the registry and the TAC
# table, write Parquet), on the same synthetic data, in the same run.
#
# Usage:   benches/imei_e2e.sh [ROWS ...]        (default: 10000000)
# Env:     WORK (scratch dir, default /tmp/spectra-imei-e2e), DEVICES (registry
#          size, default 2000000), CARGO_TARGET_DIR (default ~/.cache/spectra/target),
#          SPECTRA_DUCKDB_VENV (see benches/duckdb_venv.sh).
# Needs:   /usr/bin/time (GNU time), python3 with venv, and PyPI on the first run
#          (benches/duckdb_venv.sh installs the pinned duckdb wheel).
#
# For each size it prints rows/s, wall time and peak memory (max RSS) of both
# jobs and the speed ratio. The DuckDB query does the same job (rows numbered,
# written in input order, as ours) on all cores (`SET threads`), spared only the
# per-row reason-code names.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/spectra/target}
WORK=${WORK:-/tmp/spectra-imei-e2e}
DEVICES=${DEVICES:-2000000}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10000000)
mkdir -p "$WORK"
source "$ROOT/benches/duckdb_venv.sh"   # sets PY

# The same package selection as CI (`-p spectra-cli` alone would recompile DuckDB).
(cd "$ROOT" && cargo build --release -p imei-registry -p spectra-cli -p spectra-python -q)
BIN=$CARGO_TARGET_DIR/release/spectra
# A fresh random pseudonym key per run (a passphrase is refused).
if [ -z "${SPECTRA_PSEUDONYM_KEY:-}" ]; then
    rm -f "$WORK/pseudonym.key"
    "$BIN" registry new-key --out "$WORK/pseudonym.key" > /dev/null
    SPECTRA_PSEUDONYM_KEY=$(cat "$WORK/pseudonym.key")
    export SPECTRA_PSEUDONYM_KEY
fi

echo "== registry: $DEVICES devices"
"$BIN" datasets imei --rows 1 --out "$WORK/tiny.csv" --registry-out "$WORK/registry.csv" \
    --registry-devices "$DEVICES" --tac-out "$WORK/tacs.csv" --quiet
rm -f "$WORK/reg.duckdb" "$WORK/reg.duckdb.wal"
"$BIN" registry import "$WORK/registry.csv" --registry "$WORK/reg.duckdb" --actor bench
"$BIN" registry import-tac "$WORK/tacs.csv" --registry "$WORK/reg.duckdb" --actor bench

measure() { # label, command... → prints "label wall_s maxrss_kb"
    local label=$1; shift
    /usr/bin/time -v "$@" > "$WORK/$label.out" 2> "$WORK/$label.time"
    local wall rss
    wall=$(grep "Elapsed (wall clock)" "$WORK/$label.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep "Maximum resident set size" "$WORK/$label.time" | awk '{print $NF}')
    echo "$wall $rss"
}

for N in "${SIZES[@]}"; do
    echo "== $N rows"
    read -r gen_s _ < <(measure "gen-$N" "$BIN" datasets imei --rows "$N" --out "$WORK/check-$N.csv" \
        --registry-devices "$DEVICES" --quiet)
    echo "generate: ${gen_s} s ($(du -h "$WORK/check-$N.csv" | cut -f1))"
    sync
    cat "$WORK/check-$N.csv" > /dev/null   # same warm page cache for both jobs
    rm -f "$WORK/verdicts-$N.parquet"
    read -r ours_s ours_kb < <(measure "spectra-$N" "$BIN" imei check "$WORK/check-$N.csv" --registry "$WORK/reg.duckdb" \
        --out "$WORK/verdicts-$N.parquet" --quiet --actor bench)
    cat "$WORK/spectra-$N.out"
    rm -f "$WORK/duckdb-$N.parquet"
    read -r duck_s duck_kb < <(measure "duckdb-$N" "$PY" "$ROOT/benches/imei_e2e_duckdb.py" "$WORK/check-$N.csv" \
        "$WORK/reg.duckdb" "$WORK/duckdb-$N.parquet")
    cat "$WORK/duckdb-$N.out"
    python3 - "$N" "$ours_s" "$ours_kb" "$duck_s" "$duck_kb" <<'PY'
import sys
n, os_, ok, ds, dk = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"spectra : {os_:8.2f} s  {n/os_/1e6:6.2f} M rows/s  peak {ok/1024:8.0f} MiB")
print(f"duckdb  : {ds:8.2f} s  {n/ds/1e6:6.2f} M rows/s  peak {dk/1024:8.0f} MiB")
print(f"ratio   : spectra is {ds/os_:.2f}x the speed of DuckDB SQL")
PY
done
