#!/usr/bin/env bash
# Frequency assignment benchmark: `spectra assign` against Google OR-tools
# CP-SAT (benches/assign_peer.py) on the same instances, with the same time
# limit, one after the other, in the same run: the five original CELAR
# instances (scen01, scen02, scen11 minimum number of distinct values, scen05
# minimum largest value, scen06 minimum weighted violation cost) and the
# twelve RLFAP decision instances (feasibility).
#
# Usage:   benches/assign_e2e.sh [TIME_LIMIT_S]      (default: $ASSIGN_TIME_LIMIT_S or 60)
# Env:     ASSIGN_TIME_LIMIT_S (time limit per instance and solver, s; the argument wins),
#          SPECTRA_ASSIGN_DATA (default <repo>/../shared/data/assignment, holding celar/ and rlfap/),
#          ASSIGN_CELAR / ASSIGN_RLFAP (space-separated instance names, default: all; "" skips the set),
#          SPECTRA_ASSIGN_VENV (venv for CP-SAT, default ~/.cache/spectra/venv-ortools),
#          WORK (scratch dir, default /tmp/spectra-assign-e2e),
#          CARGO_TARGET_DIR (default ~/.cache/spectra/target).
# Needs:   a release build of the CLI (`cargo build --release -p imei-registry -p spectra-cli -p spectra-python`; this
#          script does not build), python3 with venv, and PyPI for the pinned ortools
#          wheel on the first run (installed into the venv, reused afterwards).
#
# Output: one Markdown table, one row per instance. Each solver's status is
# optimal | feasible | infeasible | unknown (time limit without an answer);
# "objective" is the criterion's value of the assignment found (distinct
# values, largest value or weighted cost; "-" on a decision instance or where
# a key is missing), "bound" the lower bound CP-SAT proved. Seconds are each
# solver's own wall time (CP-SAT's includes reading the files and building
# the model in Python). CP-SAT runs with one search worker and seed 0, since
# `spectra assign` is single-threaded. The ratio is CP-SAT seconds / spectra
# seconds (> 1: spectra is faster); it only means something when both reach
# the same proved answer (both optimal with the same objective, both
# infeasible, or both feasible on a decision instance); other rows are marked
# "†" (a solver stopped by the time limit shows about the limit as its time).
# Exits 1 if either solver failed (spectra exit 2, or a failed check in the
# peer), after printing the table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/spectra/target}
BIN=$CARGO_TARGET_DIR/release/spectra
DATA=${SPECTRA_ASSIGN_DATA:-$ROOT/../shared/data/assignment}
VENV=${SPECTRA_ASSIGN_VENV:-$HOME/.cache/spectra/venv-ortools}
WORK=${WORK:-/tmp/spectra-assign-e2e}
T=${1:-${ASSIGN_TIME_LIMIT_S:-60}}
ORTOOLS_VERSION=9.15.6755
CELAR=${ASSIGN_CELAR-scen01 scen02 scen05 scen06 scen11}
RLFAP=${ASSIGN_RLFAP-11 14-f27 14-f28 2-f24 2-f25 3-f10 3-f11 6-w2 7-w1-f4 7-w1-f5 8-f10 8-f11}

if [ ! -x "$BIN" ]; then
    echo "error: no spectra binary at $BIN; build it first with" >&2
    echo "       (cd $ROOT && cargo build --release -p imei-registry -p spectra-cli -p spectra-python)" >&2
    echo "       (or set CARGO_TARGET_DIR to the target directory that holds it)" >&2
    exit 2
fi
[ -d "$DATA/celar" ] && [ -d "$DATA/rlfap" ] || {
    echo "error: no celar/ and rlfap/ under $DATA (set SPECTRA_ASSIGN_DATA)" >&2; exit 2; }

# The pinned CP-SAT in its own venv, installed from PyPI by name once, then reused.
PY=$VENV/bin/python
if ! { [ -x "$PY" ] && "$PY" -c "import sys, ortools; sys.exit(ortools.__version__ != '$ORTOOLS_VERSION')" 2> /dev/null; }; then
    echo "installing ortools==$ORTOOLS_VERSION into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "ortools==$ORTOOLS_VERSION" >&2
fi

rm -rf "$WORK"
mkdir -p "$WORK"
: > "$WORK/runs.tsv"   # name, spectra json, spectra exit, peer json, peer exit

run() { # out-file, command... → prints the exit code (output in out-file, stderr in out-file.err)
    local out=$1; shift
    local rc=0
    "$@" > "$out" 2> "$out.err" || rc=$?
    echo "$rc"
}

echo "time limit $T s per instance and solver; spectra: $BIN; CP-SAT: ortools $ORTOOLS_VERSION, 1 worker" >&2
for name in $CELAR; do
    dir=$DATA/celar/$name
    echo "== celar $name" >&2
    src=$(run "$WORK/spectra-$name.json" "$BIN" assign celar "$dir" --json --quiet --time-limit-s "$T")
    prc=$(run "$WORK/cpsat-$name.json" "$PY" "$ROOT/benches/assign_peer.py" celar "$dir" \
        --criterion auto --time-limit-s "$T" --workers 1)
    printf '%s\t%s\t%s\t%s\t%s\tcelar\n' "$name" "$WORK/spectra-$name.json" "$src" "$WORK/cpsat-$name.json" "$prc" >> "$WORK/runs.tsv"
done
for name in $RLFAP; do
    echo "== rlfap $name" >&2
    src=$(run "$WORK/spectra-rlfap-$name.json" "$BIN" assign rlfap "$DATA/rlfap" --instance "$name" --json --quiet --time-limit-s "$T")
    prc=$(run "$WORK/cpsat-rlfap-$name.json" "$PY" "$ROOT/benches/assign_peer.py" rlfap "$DATA/rlfap" "$name" \
        --time-limit-s "$T" --workers 1)
    printf '%s\t%s\t%s\t%s\t%s\trlfap\n' "$name" "$WORK/spectra-rlfap-$name.json" "$src" "$WORK/cpsat-rlfap-$name.json" "$prc" >> "$WORK/runs.tsv"
done

"$PY" - "$WORK/runs.tsv" "$T" <<'PY'
import json, sys

runs, limit = sys.argv[1], float(sys.argv[2])
CRIT = {"min_order": "min-order", "min_span": "min-span", "min_cost": "min-cost", "feasibility": "feasibility"}

def load(path, rlfap):
    try:
        with open(path) as fh:
            d = json.load(fh)
    except (OSError, ValueError):
        return None
    if rlfap and isinstance(d, dict) and "instances" in d:
        d = (d["instances"] or [None])[0]
    return d if isinstance(d, dict) else None

def cell(v, fmt="{}"):
    return "-" if v is None else fmt.format(v)

def err_line(path):
    try:
        lines = [l for l in open(path + ".err").read().splitlines() if l.strip()]
    except OSError:
        lines = []
    return lines[-1] if lines else "no output"

print("| instance | criterion | spectra status | spectra objective | spectra bound | spectra s "
      "| cp-sat status | cp-sat objective | cp-sat bound | cp-sat s | ratio cp-sat/spectra |")
print("|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|")
failed = False
for line in open(runs):
    name, sfile, src, pfile, prc, kind = line.rstrip("\n").split("\t")
    rl = kind == "rlfap"
    s, p = load(sfile, rl), load(pfile, False)
    if src not in ("0", "1", "3") or s is None:
        failed = True
        print(f"spectra {kind} {name}: exit {src}: {err_line(sfile)}", file=sys.stderr)
        s = {"status": f"error (exit {src})"}
    if prc != "0" or p is None:
        failed = True
        print(f"cp-sat {kind} {name}: exit {prc}: {err_line(pfile)}", file=sys.stderr)
        p = {"status": f"error (exit {prc})"}
    sst = s.get("status")
    if sst == "feasible" and s.get("optimal") is True:
        sst = "optimal"
    pst = p.get("status")
    crit = p.get("criterion") or CRIT.get(s.get("criterion"), s.get("criterion")) or ("feasibility" if rl else None)
    sobj, pobj = s.get("objective"), p.get("objective")
    ssec, psec = s.get("seconds"), p.get("seconds")
    same = (sst == pst and sst in ("optimal", "infeasible") and sobj == pobj) or \
           (sst == pst == "feasible" and crit == "feasibility")
    ratio = "-"
    if isinstance(ssec, (int, float)) and isinstance(psec, (int, float)) and ssec > 0:
        ratio = f"{psec / ssec:.2f}" + ("" if same else " †")
    sbound = s.get("bound") if crit != "feasibility" else None
    print(f"| {kind} {name} | {cell(crit)} | {cell(sst)} | {cell(sobj)} | {cell(sbound)} | {cell(ssec, '{:.2f}')} "
          f"| {cell(pst)} | {cell(pobj)} | {cell(p.get('bound'))} | {cell(psec, '{:.2f}')} | {ratio} |")
print()
print(f"Time limit {limit:g} s per instance and solver; CP-SAT with 1 worker, seed 0. "
      "Ratio = CP-SAT seconds / spectra seconds (> 1: spectra faster); it is only meaningful "
      "when both reach the same proved answer (same optimum, both infeasible, or both feasible "
      "on a decision instance). † = not the same proved answer: the ratio compares nothing.")
sys.exit(1 if failed else 0)
PY
