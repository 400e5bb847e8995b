#!/usr/bin/env bash
# The Python package's throughput in one run (issue 16), each figure beside
# the same work done another way:
#   - P.452-18 per path: vectorised binding (1 thread and all cores), one
#     Python call per path, one `spectra propagate p452` process per path, and
#     pycraf 2.1's P.452-16 (public API, PyPI) on the same three reference paths;
#   - ITM per path: the same without pycraf (it has no ITM), on NTIA's PFLs;
#   - IMEI: the bulk check CSV -> Parquet by the CLI and by the binding
#     (pyarrow reads and writes), and the in-memory check and classify rates.
# Usage: benches/python_bindings.sh [ROWS]   (default 10 000 000 IMEI rows)
# Builds the CLI the way CI does (no DuckDB rebuild), the wheel with
# maturin into ~/.cache/spectra/venv-python, pycraf into
# ~/.cache/spectra/venv-pycraf. Prints JSON, then the ratio table.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-10000000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/spectra/target}"
SHARED="$(cd .. && pwd)/shared/data"
VENV="$HOME/.cache/spectra/venv-python"
PYCRAF="$HOME/.cache/spectra/venv-pycraf"

cargo build --release -q -p imei-registry -p spectra-cli -p spectra-python
BIN="$CARGO_TARGET_DIR/release/spectra"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r python/requirements-test.txt
WHEELS="$(mktemp -d)"
trap 'rm -rf "$WHEELS"' EXIT
"$VENV/bin/maturin" build --release --quiet -m python/Cargo.toml --out "$WHEELS"
"$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEELS"/*.whl
[ -x "$PYCRAF/bin/python" ] || python3 -m venv "$PYCRAF"
"$PYCRAF/bin/pip" install -q --disable-pip-version-check pycraf==2.1.0

ONE="$WHEELS/one.json"; ALL="$WHEELS/all.json"
RAYON_NUM_THREADS=1 "$VENV/bin/python" benches/python_bindings.py --spectra "$BIN" --shared "$SHARED" \
  --only p452 --only itm > "$ONE"
"$VENV/bin/python" benches/python_bindings.py --spectra "$BIN" --shared "$SHARED" --rows "$ROWS" \
  --pycraf-python "$PYCRAF/bin/python" > "$ALL"
cat "$ONE" "$ALL"
"$VENV/bin/python" - "$ONE" "$ALL" <<'PY'
import json, sys
one, all_ = (json.load(open(p)) for p in sys.argv[1:3])
print(f"\n{'P.452 path':<28}{'1 thr µs':>10}{'2 thr µs':>10}{'call µs':>10}{'CLI µs':>10}{'pycraf µs':>11}"
      f"{'pycraf/1thr':>12}{'CLI/1thr':>10}")
for a, b, c in zip(one["p452"], all_["p452"], all_["pycraf"]):
    print(f"{a['path'] + ' (' + str(a['points']) + ')':<28}{a['vectorised_us']:>10.1f}{b['vectorised_us']:>10.1f}"
          f"{b['scalar_call_us']:>10.1f}{b['cli_process_us']:>10.0f}{c['public_api_us']:>11.0f}"
          f"{c['public_api_us'] / a['vectorised_us']:>11.1f}x{b['cli_process_us'] / a['vectorised_us']:>9.0f}x")
print(f"\n{'ITM PFL':<28}{'1 thr µs':>10}{'2 thr µs':>10}{'call µs':>10}{'CLI µs':>10}{'CLI/1thr':>12}")
for a, b in zip(one["itm"], all_["itm"]):
    print(f"{'pfl' + str(a['pfl']) + ' (' + str(a['points']) + ')':<28}{a['vectorised_us']:>10.2f}"
          f"{b['vectorised_us']:>10.2f}{b['scalar_call_us']:>10.2f}{b['cli_process_us']:>10.0f}"
          f"{b['cli_process_us'] / a['vectorised_us']:>11.0f}x")
m = all_["imei"]
print(f"\nIMEI, {m['rows']:,} rows: CLI check CSV->Parquet {m['cli_check_csv_to_parquet_s']:.2f} s "
      f"({m['cli_rows_per_s'] / 1e6:.2f} M rows/s); binding CSV->Parquet {m['binding_csv_to_parquet_s']:.2f} s "
      f"({m['binding_e2e_rows_per_s'] / 1e6:.2f} M rows/s, {m['cli_check_csv_to_parquet_s'] / m['binding_csv_to_parquet_s']:.2f}x the CLI); "
      f"in memory: check {m['binding_check_rows_per_s'] / 1e6:.1f} M rows/s, classify {m['binding_classify_rows_per_s'] / 1e6:.1f} M rows/s")
PY
