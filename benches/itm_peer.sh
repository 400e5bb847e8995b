#!/usr/bin/env bash
# Issue 18, target 2: ITM point-to-point per path, Spectra beside NTIA's C++
# ITM (github.com/NTIA/itm, pinned commit) in the same run on the same machine.
#   - Spectra: the `propagation_ntia` Criterion bench, `itm_p2p_tls/pfl<i>_…`
#     (median time per path on the NTIA reference profiles of
#     ../shared/data/propagation/itm/pfls.csv);
#   - NTIA: its C++ sources built with g++ -O3 (the same baseline x86-64
#     target as our release build) with benches/itm_ntia_driver.cpp, which
#     times ITM_P2P_TLS with the bench's parameters (median of 15 rounds).
# The two sides alternate profile by profile, REPS times (default 3); prints
# per profile the medians and the ratio NTIA ÷ Spectra (> 1: Spectra faster)
# with its range, and checks that `spectra propagate itm --pfl` gives the same
# loss as NTIA's C++ to the last bit on every profile.
#
# Usage:   benches/itm_peer.sh [REPS]
# Env:     ITM_GIT (where to clone NTIA's ITM from; default
#          https://github.com/NTIA/itm), CARGO_TARGET_DIR.
# Needs:   g++ and git (installed with apt-get on Debian when missing); the
#          clone goes to ~/.cache/spectra/peers/itm on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in g++ git; do
    if ! command -v "$tool" > /dev/null; then
        echo "installing $tool (Debian)" >&2
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
        $SUDO apt-get install -y -q "$tool" > /dev/null || { $SUDO apt-get update -q > /dev/null && $SUDO apt-get install -y -q "$tool" > /dev/null; }
    fi
done
REPS="${1:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/spectra/target}"
PFLS="$(cd .. && pwd)/shared/data/propagation/itm/pfls.csv"
ITM_COMMIT=183ad95bd813a8be11009df396e1c631356864b2
PEER="$HOME/.cache/spectra/peers/itm"
if [ ! -d "$PEER/src" ]; then
    mkdir -p "$(dirname "$PEER")"
    git clone -q "${ITM_GIT:-https://github.com/NTIA/itm}" "$PEER"
fi
git -C "$PEER" checkout -q "$ITM_COMMIT"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
# NTIA's sources are written for Windows: they include `..\include\X.h` and mark
# their functions for a DLL. A shim directory holds files of those literal
# names that include the real headers, and the DLL mark is defined empty.
mkdir -p "$OUT/shim"
for h in "$PEER"/include/*.h; do
    printf '#include "%s"\n' "$h" > "$OUT/shim/..\\include\\$(basename "$h")"
done
g++ -O3 -std=c++14 '-D__declspec(x)=' -I"$OUT/shim" "$PEER"/src/*.cpp benches/itm_ntia_driver.cpp \
    -o "$OUT/itm_ntia"
cargo build -q --release -p imei-registry -p spectra-cli -p spectra-python
cargo bench -q --profile release -p spectra-benches --bench propagation_ntia --no-run 2>/dev/null
N=$(grep -c '[0-9]' "$PFLS")
for rep in $(seq "$REPS"); do
    for i in $(seq "$N"); do
        cargo bench -q --profile release -p spectra-benches --bench propagation_ntia -- "itm_p2p_tls/pfl${i}_" \
            > /dev/null 2>&1
        est=$(ls -d "$CARGO_TARGET_DIR"/criterion/itm_p2p_tls_pfl"${i}"_*/new)
        cp "$est/estimates.json" "$OUT/spectra-$i-$rep.json"
        "$OUT/itm_ntia" "$PFLS" "$i" 2000 15 > "$OUT/ntia-$i-$rep.json"
    done
done
for i in $(seq "$N"); do
    grep '[0-9]' "$PFLS" | sed -n "${i}p" > "$OUT/pfl$i.txt"
    "$CARGO_TARGET_DIR/release/spectra" propagate itm --pfl "$OUT/pfl$i.txt" --freq-mhz 990 --h-tx-m 15 \
        --h-rx-m 3 --climate 5 --n0 301 --pol 1 --epsilon 15 --sigma 0.008 --mdvar 12 --time 50 \
        --location 50 --situation 50 --json > "$OUT/spectra-loss-$i.json"
done
python3 - "$OUT" "$REPS" "$N" <<'PY'
import json, pathlib, statistics, sys
out, reps, n = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
print("| ITM p2p per path (points) | Spectra µs | NTIA C++ -O3 µs | NTIA ÷ Spectra (range) | same loss to the bit |")
print("|---|---|---|---|---|")
identical = True
for i in range(1, n + 1):
    ours, peer, ratios = [], [], []
    for r in range(1, reps + 1):
        s = json.load(open(out / f"spectra-{i}-{r}.json"))["median"]["point_estimate"] / 1000.0
        p = json.load(open(out / f"ntia-{i}-{r}.json"))
        ours.append(s); peer.append(p["us_per_path"]); ratios.append(p["us_per_path"] / s)
    ntia_loss = float(p["loss_db"])
    spectra = json.load(open(out / f"spectra-loss-{i}.json"))
    our_loss = float(spectra["result"]["loss_db"])
    same = ntia_loss == our_loss
    identical &= same
    print(f"| pfl{i} ({p['points']}) | {statistics.median(ours):.2f} | {statistics.median(peer):.2f} | "
          f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) | "
          f"{'yes' if same else f'no: {our_loss!r} vs {ntia_loss!r}'} |")
sys.exit(0 if identical else 1)
PY
