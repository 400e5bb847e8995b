#!/usr/bin/env bash
# Issue 18, target 2: ITM point-to-point per path, Spectra beside NTIA's C++
# ITM (github.com/NTIA/itm, pinned commit) in the same run on the same machine.
#   - Spectra: benches/src/bin/itm_driver.rs (`p2p_tls`, release build);
#   - NTIA: its C++ sources built twice with benches/itm_ntia_driver.cpp,
#     g++ -O3 (the baseline x86-64 target) and g++ -O3 -march=native (this
#     processor's vector units, as Spectra's horizon search uses AVX where
#     present); the faster of the two is the peer.
# The drivers take the same arguments and run the same loop: CALLS untimed
# calls, then timed rounds of CALLS calls on one profile of
# ../shared/data/propagation/itm/pfls.csv with the `propagation_ntia` bench's
# parameters. The script alternates them round by round (ROUNDS rounds of each
# per profile, so a change in the machine's speed falls on both sides), REPS
# times (default 3). It prints per profile the median time of each side and
# the ratio NTIA ÷ Spectra (> 1: Spectra faster; median over the repetitions,
# with their range), and checks that `spectra propagate itm --pfl` gives the
# same loss as NTIA's baseline C++ build to the last bit on every profile.
#
# Usage:   benches/itm_peer.sh [REPS]
# Env:     ITM_GIT (where to clone NTIA's ITM from; default
#          https://github.com/NTIA/itm), CARGO_TARGET_DIR, ROUNDS (default 15),
#          CALLS (default 2000).
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
for build in baseline native; do
    flags=(-O3); [ "$build" = native ] && flags+=(-march=native)
    g++ "${flags[@]}" -std=c++14 '-D__declspec(x)=' -I"$OUT/shim" "$PEER"/src/*.cpp \
        benches/itm_ntia_driver.cpp -o "$OUT/itm_ntia_$build"
done
cargo build -q --release -p imei-registry -p spectra-cli -p spectra-python
cargo build -q --release -p spectra-benches --bin itm_driver
ROUNDS="${ROUNDS:-15}"
CALLS="${CALLS:-2000}"
N=$(grep -c '[0-9]' "$PFLS")
for rep in $(seq "$REPS"); do
    for i in $(seq "$N"); do
        for _ in $(seq "$ROUNDS"); do
            "$CARGO_TARGET_DIR/release/itm_driver" "$PFLS" "$i" "$CALLS" 1 >> "$OUT/spectra-$i-$rep.jsonl"
            "$OUT/itm_ntia_baseline" "$PFLS" "$i" "$CALLS" 1 >> "$OUT/baseline-$i-$rep.jsonl"
            "$OUT/itm_ntia_native" "$PFLS" "$i" "$CALLS" 1 >> "$OUT/native-$i-$rep.jsonl"
        done
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
def rounds(name):
    return [json.loads(l) for l in open(out / name) if l.strip()]
print("| ITM p2p per path (points) | Spectra µs | NTIA C++ -O3 µs | NTIA -O3 -march=native µs | "
      "NTIA (faster build) ÷ Spectra (range) | same loss to the bit |")
print("|---|---|---|---|---|---|")
identical = True
for i in range(1, n + 1):
    ours, base, native, ratios = [], [], [], []
    for r in range(1, reps + 1):
        s = statistics.median(x["us_per_path"] for x in rounds(f"spectra-{i}-{r}.jsonl"))
        b_rounds = rounds(f"baseline-{i}-{r}.jsonl")
        b = statistics.median(x["us_per_path"] for x in b_rounds)
        m = statistics.median(x["us_per_path"] for x in rounds(f"native-{i}-{r}.jsonl"))
        ours.append(s); base.append(b); native.append(m); ratios.append(min(b, m) / s)
    p = b_rounds[-1]
    ntia_loss = float(p["loss_db"])
    spectra = json.load(open(out / f"spectra-loss-{i}.json"))
    our_loss = float(spectra["result"]["loss_db"])
    same = ntia_loss == our_loss
    identical &= same
    print(f"| pfl{i} ({p['points']}) | {statistics.median(ours):.2f} | {statistics.median(base):.2f} | "
          f"{statistics.median(native):.2f} | {statistics.median(ratios):.2f} "
          f"({min(ratios):.2f}–{max(ratios):.2f}) | {'yes' if same else f'no: {our_loss!r} vs {ntia_loss!r}'} |")
sys.exit(0 if identical else 1)
PY
