#!/usr/bin/env bash
# Issue 18, target 1: ITU-R P.452 per path, Spectra beside pycraf 2.1's
# compiled core in the same run on the same machine.
#   - Spectra: the `propagation_itu` Criterion bench, group p452 (P.452-18 on
#     the three WP 3M reference profiles, terrain + clutter + zones; median);
#   - pycraf: benches/p452_pycraf_core.py (P.452-16, cyprop called with plain
#     floats, terrain heights only; median of 9 rounds), installed from PyPI
#     into ~/.cache/spectra/venv-pycraf.
# The two sides alternate path by path, REPS times (default 3), so that a
# busy moment of a shared machine hits both; prints per path the medians and
# the ratio pycraf ÷ Spectra (> 1: Spectra faster) with its range over the
# repetitions. Usage: benches/p452_peer.sh [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/spectra/target}"
SHARED="$(cd .. && pwd)/shared/data"
PYCRAF="$HOME/.cache/spectra/venv-pycraf"
[ -x "$PYCRAF/bin/python" ] || python3 -m venv "$PYCRAF"
"$PYCRAF/bin/pip" install -q --disable-pip-version-check pycraf==2.1.0
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cargo bench -q --profile release -p spectra-benches --bench propagation_itu --no-run 2>/dev/null
for rep in $(seq "$REPS"); do
  for label in mixed_109km rburg_rural_with_clutter b2iseac_eqdist; do
    cargo bench -q --profile release -p spectra-benches --bench propagation_itu -- "p452/$label" >/dev/null 2>&1
    est=$(ls -d "$CARGO_TARGET_DIR"/criterion/p452/"$label"*/new)
    cp "$est/estimates.json" "$OUT/spectra-$label-$rep.json"
    "$PYCRAF/bin/python" benches/p452_pycraf_core.py --shared "$SHARED" --only "$label" > "$OUT/pycraf-$label-$rep.json"
  done
done
python3 - "$OUT" "$REPS" <<'PY'
import json, pathlib, statistics, sys
out, reps = pathlib.Path(sys.argv[1]), int(sys.argv[2])
print("| P.452 per path (points) | Spectra P.452-18 µs | pycraf 2.1 core P.452-16 µs | pycraf ÷ Spectra (range) |")
print("|---|---|---|---|")
for label in ["mixed_109km", "rburg_rural_with_clutter", "b2iseac_eqdist"]:
    ours, peer, ratios, points = [], [], [], 0
    for r in range(1, reps + 1):
        s = json.load(open(out / f"spectra-{label}-{r}.json"))["median"]["point_estimate"] / 1000.0
        p = json.load(open(out / f"pycraf-{label}-{r}.json"))[label]
        points = p["points"]
        ours.append(s); peer.append(p["us_per_path"]); ratios.append(p["us_per_path"] / s)
    print(f"| {label} ({points}) | {statistics.median(ours):.1f} | {statistics.median(peer):.1f} | "
          f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) |")
PY
