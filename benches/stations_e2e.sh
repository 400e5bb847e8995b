#!/usr/bin/env bash
# End-to-end compliance benchmark: `spectra stations compliance` (import the
# register CSV with every field checked, check it against the sample national
# table, write the findings to Parquet) against the same job in DuckDB SQL
# (benches/stations_e2e_duckdb.py), on the same generated register, in the
# same run.
#
# Usage:   benches/stations_e2e.sh [ASSIGNMENTS ...]      (default: 1000000)
# Env:     WORK (scratch dir, default /tmp/spectra-stations-e2e),
#          CARGO_TARGET_DIR (default ~/.cache/spectra/target),
#          SPECTRA_DUCKDB_VENV (see benches/duckdb_venv.sh).
# Needs:   /usr/bin/time (GNU time), python3 with venv, and PyPI on the first run
#          (benches/duckdb_venv.sh installs the pinned duckdb wheel).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/spectra/target}
WORK=${WORK:-/tmp/spectra-stations-e2e}
source "$ROOT/benches/duckdb_venv.sh"   # sets PY
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000000)
mkdir -p "$WORK"
(cd "$ROOT" && cargo build --release -p imei-registry -p spectra-cli -p spectra-python -q)
BIN=$CARGO_TARGET_DIR/release/spectra
"$BIN" table export --internal --out "$WORK/bands.csv" > /dev/null

measure() { # label, command... → prints "wall_s maxrss_kb" (exit status 1 = findings, expected)
    local label=$1; shift
    /usr/bin/time -v "$@" > "$WORK/$label.out" 2> "$WORK/$label.time" || [ $? -eq 1 ]
    local wall rss
    wall=$(grep "Elapsed (wall clock)" "$WORK/$label.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep "Maximum resident set size" "$WORK/$label.time" | awk '{print $NF}')
    echo "$wall $rss"
}

for N in "${SIZES[@]}"; do
    echo "== $N assignments"
    "$BIN" datasets stations --assignments "$N" --out "$WORK/reg-$N.csv" --operators-out "$WORK/ops.csv" > /dev/null
    cat "$WORK/reg-$N.csv" > /dev/null   # same warm page cache for both jobs
    rm -f "$WORK/ours-$N.parquet" "$WORK/duck-$N.parquet"
    read -r ours_s ours_kb < <(measure "spectra-$N" "$BIN" stations compliance --stations "$WORK/reg-$N.csv" \
        --operators "$WORK/ops.csv" --at 2026-11-30 --internal --out "$WORK/ours-$N.parquet")
    head -1 "$WORK/spectra-$N.out"
    read -r duck_s duck_kb < <(measure "duckdb-$N" "$PY" "$ROOT/benches/stations_e2e_duckdb.py" "$WORK/reg-$N.csv" \
        "$WORK/ops.csv" "$WORK/bands.csv" "$WORK/duck-$N.parquet" 2026-11-30)
    cat "$WORK/duckdb-$N.out"
    "$PY" - "$N" "$ours_s" "$ours_kb" "$duck_s" "$duck_kb" <<'PY'
import sys
n, os_, ok, ds, dk = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"spectra : {os_:8.2f} s  {n/os_/1e6:6.2f} M assignments/s  peak {ok/1024:8.0f} MiB")
print(f"duckdb  : {ds:8.2f} s  {n/ds/1e6:6.2f} M assignments/s  peak {dk/1024:8.0f} MiB")
print(f"ratio   : spectra is {ds/os_:.2f}x the speed of DuckDB SQL")
PY
done
