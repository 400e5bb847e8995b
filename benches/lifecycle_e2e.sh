#!/usr/bin/env bash
# Registry life-cycle benchmark (issue 14): a month of synthetic operator
# data (`spectra datasets operator-data`, four operators, each subscriber
# seen on about ten days: the shape of a national month) imported with the
# safety checks, pseudonyms and identity vault; classified with the
# conditions below; lists written (block list, notifications, exceptions);
# then the same classification as plain DuckDB SQL over the same
# `network_triplets`, devices and TAC tables (benches/lifecycle_e2e_duckdb.py,
# on the same registry file after the lists, into a table of its own),
# timed in the same run. Wall time and peak memory (max RSS) of every step.
#
# Usage:   benches/lifecycle_e2e.sh [SUBSCRIBERS ...]     (default: 200000)
# Env:     WORK (scratch dir, default /tmp/spectra-lifecycle-e2e), SEED (default 2026),
#          OPERATORS (1-4, default 4), PRESENCE (daily presence, default 0.32 = ten rows per
#          subscriber), DROP_INPUTS=1 (delete each operator file once imported: the national
#          month is 17 GB of CSV),
#          SPECTRA_DUCKDB_VENV (venv for the Python duckdb wheel, default ~/.cache/spectra/venv-duckdb),
#          CARGO_TARGET_DIR (default ~/.cache/spectra/target).
# Needs:   a release build of the CLI (`cargo build --release -p imei-registry -p spectra-cli -p spectra-python`; this
#          script does not build), GNU time, python3 with venv, and PyPI for the pinned duckdb wheel on
#          the first run (the newest release, the strongest peer; it opens the registry, which is written
#          in DuckDB 1.2's storage format; installed into the venv, reused afterwards).
#
# The SQL job computes the same dimensions (distinct IMSIs in the window from
# the day masks, TAC in the TAC table, registered, malformed) and appends the
# same decision rows (IMEI, condition, inputs in words, reason, dates) to a
# table; it is given every advantage: all cores, no safety check, no open
# matches carried from an earlier run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/spectra/target}
BIN=$CARGO_TARGET_DIR/release/spectra
WORK=${WORK:-/tmp/spectra-lifecycle-e2e}
SEED=${SEED:-2026}
OPERATORS=${OPERATORS:-4}
PRESENCE=${PRESENCE:-0.32}
DROP_INPUTS=${DROP_INPUTS:-0}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(200000)
[ -x "$BIN" ] || { echo "error: no $BIN (cargo build --release -p imei-registry -p spectra-cli -p spectra-python)" >&2; exit 2; }

source "$ROOT/benches/duckdb_venv.sh"   # sets PY

mkdir -p "$WORK"
cp "$ROOT/benches/lifecycle_conditions.toml" "$WORK/conditions.toml"

declare -a TABLE
measure() { # label, command... → prints "wall_s maxrss_kb"; the command's output in $WORK/label.out
    local label=$1; shift
    /usr/bin/time -v "$@" > "$WORK/$label.out" 2> "$WORK/$label.time" || {
        cat "$WORK/$label.out" "$WORK/$label.time" >&2; exit 1; }
    local wall rss
    wall=$(grep "Elapsed (wall clock)" "$WORK/$label.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep "Maximum resident set size" "$WORK/$label.time" | awk '{print $NF}')
    echo "$wall $rss"
}
row() { TABLE+=("| $1 | $2 | $3 | $(awk -v k="$4" 'BEGIN { printf "%.0f", k / 1024 }') |"); }

for N in "${SIZES[@]}"; do
    D=$WORK/$N
    rm -rf "$D"; mkdir -p "$D/lists"
    "$BIN" registry new-key --out "$D/network.key" > /dev/null
    "$BIN" registry new-key --out "$D/vault.key" > /dev/null
    "$BIN" registry new-key --out "$D/owner.key" > /dev/null
    read -r s kb < <(measure gen "$BIN" datasets operator-data --subscribers "$N" --month 2026-10 --out-dir "$D" \
        --seed "$SEED" --operators "$OPERATORS" --daily-presence "$PRESENCE")
    rows=$(awk '/rows of operator/ { n += $2 } END { print n }' "$WORK/gen.out")
    row "$N" "generate ($rows rows, $OPERATORS operators)" "$s" "$kb"
    read -r s kb < <(measure devices "$BIN" datasets imei --rows 1 --out "$D/tiny.csv" --registry-out "$D/devices.csv" \
        --registry-devices "$N" --tac-out "$D/tacs.csv" --seed "$SEED" --quiet)
    read -r s kb < <(measure registry "$BIN" registry import "$D/devices.csv" --key-file "$D/owner.key" \
        --registry "$D/r.duckdb" --actor bench)
    row "$N" "import the registry ($N devices)" "$s" "$kb"
    "$BIN" registry import-tac "$D/tacs.csv" --registry "$D/r.duckdb" --actor bench > /dev/null
    for op in "alfa 43701" "beta 43705" "gamma 43709" "delta 43703"; do
        set -- $op
        [ -e "$D/$1"_20261001_20261031.csv ] || continue
        "$BIN" registry add-operator "$1" --mcc-mnc "$2" --registry "$D/r.duckdb" > /dev/null
        read -r s kb < <(measure "import-$1" "$BIN" registry import-operator-data "$D/$1"_*.csv --operator "$1" \
            --network-key-file "$D/network.key" --vault-key-file "$D/vault.key" --registry "$D/r.duckdb" --actor bench)
        row "$N" "import $1" "$s" "$kb"
        [ "$DROP_INPUTS" = 1 ] && rm -f "$D/$1"_*.csv
    done
    read -r s kb < <(measure classify "$BIN" registry classify --conditions "$WORK/conditions.toml" --date 2026-10-31 \
        --registry "$D/r.duckdb" --actor bench)
    row "$N" "classify (spectra)" "$s" "$kb"
    ours=$s
    cat "$WORK/classify.out"
    read -r s kb < <(measure lists "$BIN" registry lists --date 2026-11-15 --out "$D/lists" \
        --vault-key-file "$D/vault.key" --registry "$D/r.duckdb" --actor bench)
    row "$N" "lists in grace (spectra)" "$s" "$kb"
    head -1 "$WORK/lists.out"
    read -r s kb < <(measure sql "$PY" "$ROOT/benches/lifecycle_e2e_duckdb.py" "$D/r.duckdb" 2026-10-31)
    row "$N" "classify (DuckDB SQL)" "$s" "$kb"
    cat "$WORK/sql.out"
    du -sh "$D/r.duckdb" "$D/r.duckdb.vault"
    TABLE+=("| $N | ratio DuckDB SQL / spectra (classify) | $(awk -v a="$s" -v b="$ours" 'BEGIN { printf "%.2f", a / b }') | |")
done

echo
echo "| subscribers | step | wall s | peak MiB |"
echo "|---|---|---|---|"
printf '%s\n' "${TABLE[@]}"
