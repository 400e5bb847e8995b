#!/usr/bin/env bash
# Issue 18, target 1: ITU-R P.452 per path, Spectra beside pycraf 2.1's
# compiled core in the same run on the same machine.
#   - Spectra: the `propagation_itu` Criterion bench, group p452 (P.452-18 on
#     the three WP 3M reference profiles, terrain + clutter + zones);
#   - pycraf: benches/p452_pycraf_core.py (P.452-16, cyprop called with plain
#     floats, terrain heights only), installed from PyPI into
#     ~/.cache/spectra/venv-pycraf.
# Prints both times per path and the ratio pycraf ÷ Spectra (> 1: Spectra
# faster). Usage: benches/p452_peer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/spectra/target}"
SHARED="$(cd .. && pwd)/shared/data"
PYCRAF="$HOME/.cache/spectra/venv-pycraf"
[ -x "$PYCRAF/bin/python" ] || python3 -m venv "$PYCRAF"
"$PYCRAF/bin/pip" install -q --disable-pip-version-check pycraf==2.1.0
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cargo bench -q --profile release -p spectra-benches --bench propagation_itu -- "p452/" >/dev/null 2>&1
"$PYCRAF/bin/python" benches/p452_pycraf_core.py --shared "$SHARED" > "$OUT/pycraf.json"
python3 - "$CARGO_TARGET_DIR/criterion/p452" "$OUT/pycraf.json" <<'PY'
import json, pathlib, sys
crit, peer = pathlib.Path(sys.argv[1]), json.load(open(sys.argv[2]))
ours = {}
for b in crit.glob("*/new/benchmark.json"):
    fid = json.load(open(b))["function_id"]
    est = json.load(open(b.parent / "estimates.json"))
    ours[fid.split(" ")[0]] = est["median"]["point_estimate"] / 1000.0
print("| P.452 per path (points) | Spectra P.452-18 µs | pycraf 2.1 core P.452-16 µs | pycraf ÷ Spectra |")
print("|---|---|---|---|")
for label, p in peer.items():
    s = ours[label]
    print(f"| {label} ({p['points']}) | {s:.1f} | {p['us_per_path']:.1f} | {p['us_per_path'] / s:.2f} |")
PY
