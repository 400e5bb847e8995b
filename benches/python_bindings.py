"""Throughput of the `spectra` Python package against the same work done
through the CLI, and P.452 against pycraf on the same paths, in one run.
Driven by benches/python_bindings.sh (which builds and installs everything);
prints one JSON document.

    python benches/python_bindings.py --spectra BIN --shared ../shared/data \\
        [--rows 10000000] [--pycraf-python PY]
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import spectra

P452_CASES = [
    ("mixed_109km", "test_profile_mixed_109km.csv"),
    ("rburg_rural_with_clutter", "test_profile_rburg_rural_with_clutter.csv"),
    ("b2iseac_eqdist", "test_profile_b2iseac_eqdist.csv"),
]
#: The P.452 inputs of the Criterion benchmark (benches/benches/propagation_itu.rs).
P452_KW = dict(endpoints=(51.8, 0.0, 50.8197, 0.0), gt_dbi=10.0, gr_dbi=5.0, polarization="v")
P452_ARGS = (2.0, 1.0, 20.0, 10.0)  # freq_ghz, time_pct, htg_m, hrg_m
P452_CLI = ["--freq-ghz", "2", "--time-pct", "1", "--htx-m", "20", "--hrx-m", "10", "--tx-lat", "51.8",
            "--tx-lon", "0", "--rx-lat", "50.8197", "--rx-lon", "0", "--gt-dbi", "10", "--gr-dbi", "5"]


def best_of(f, repeat=5):
    """Best wall time of `repeat` runs, s."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def per_call_cli(spectra_bin, args, calls=20):
    """Mean wall time of one CLI process (`--json`), s, and its JSON."""
    t = time.perf_counter()
    for _ in range(calls):
        p = subprocess.run([spectra_bin, *args, "--json"], check=True, capture_output=True, text=True)
    return (time.perf_counter() - t) / calls, json.loads(p.stdout)


def p452_bench(spectra_bin, shared):
    out = []
    for label, file in P452_CASES:
        path = shared / "propagation" / "p452" / "profiles" / file
        prof = spectra.Profile.read_csv(path)
        n = 2000 if len(prof) < 500 else 500
        batch = [prof] * n
        vec = best_of(lambda: spectra.p452_loss_db(batch, *P452_ARGS, **P452_KW), 3) / n
        scalar = best_of(lambda: [spectra.p452(prof, *P452_ARGS, **P452_KW) for _ in range(200)], 3) / 200
        cli, doc = per_call_cli(spectra_bin, ["propagate", "p452", "--profile", path, *P452_CLI])
        lb = spectra.p452(prof, *P452_ARGS, **P452_KW)["lb_db"]
        assert lb == doc["result"]["lb_db"] == spectra.p452_loss_db([prof], *P452_ARGS, **P452_KW)[0], label
        out.append({"path": label, "points": len(prof), "lb_db": lb, "vectorised_us": vec * 1e6,
                    "scalar_call_us": scalar * 1e6, "cli_process_us": cli * 1e6})
    return out


def itm_bench(spectra_bin, shared, tmp):
    out = []
    lines = [l for l in (shared / "propagation" / "itm" / "pfls.csv").read_text().splitlines() if l.strip()]
    for i, line in enumerate(lines):
        v = [float(x) for x in line.split(",") if x.strip()]
        n, step_m = int(v[0]), v[1]
        z = np.array(v[2:n + 3])
        prof = spectra.Profile(np.arange(n + 1) * step_m / 1000.0, z)
        pfl = tmp / f"pfl{i + 1}.txt"
        pfl.write_text(line)
        kw = dict(climate=5, n0=301.0, polarization=1, epsilon=15.0, sigma=0.008)
        reps = 20000 if n < 1000 else 4000
        batch = [prof] * reps
        vec = best_of(lambda: spectra.itm_p2p_loss_db(batch, 990.0, 15.0, 3.0, **kw), 3) / reps
        scalar = best_of(lambda: [spectra.itm_p2p(prof, 990.0, 15.0, 3.0, **kw) for _ in range(500)], 3) / 500
        cli, doc = per_call_cli(spectra_bin, ["propagate", "itm", "--pfl", pfl, "--freq-mhz", "990", "--h-tx-m",
                                              "15", "--h-rx-m", "3", "--sigma", "0.008"])
        assert spectra.itm_p2p_loss_db([prof], 990.0, 15.0, 3.0, **kw)[0] == doc["result"]["loss_db"], i
        out.append({"pfl": i + 1, "points": n + 1, "vectorised_us": vec * 1e6, "scalar_call_us": scalar * 1e6,
                    "cli_process_us": cli * 1e6})
    return out


def imei_bench(spectra_bin, rows, tmp):
    d = tmp / "imei"
    d.mkdir()
    subprocess.run([spectra_bin, "registry", "new-key", "--out", d / "k"], check=True, capture_output=True)
    subprocess.run([spectra_bin, "datasets", "imei", "--rows", str(rows), "--out", d / "check.csv",
                    "--registry-out", d / "reg.csv", "--tac-out", d / "tacs.csv"], check=True, capture_output=True)
    reg = d / "r.duckdb"
    for args in (["registry", "import", d / "reg.csv", "--registry", reg, "--key-file", d / "k"],
                 ["registry", "import-tac", d / "tacs.csv", "--registry", reg],
                 ["registry", "publish", "--registry", reg, "--out", d / "r.snapshot"]):
        subprocess.run([spectra_bin, *args, "--actor", "bench"], check=True, capture_output=True)

    def cli():
        p = subprocess.run([spectra_bin, "imei", "check", d / "check.csv", "--registry", reg, "--out",
                            d / "cli.parquet", "--quiet", "--actor", "bench"], capture_output=True, text=True)
        if p.returncode not in (0, 1):  # 1: some rows refused (malformed IMEIs are in the file)
            raise SystemExit(f"spectra imei check exited {p.returncode}: {p.stderr}")

    snap = spectra.Snapshot.open(d / "r.snapshot")
    opts = pacsv.ConvertOptions(column_types={"imei": pa.string(), "operator": pa.string()},
                                strings_can_be_null=False)

    def binding_e2e():
        t = pacsv.read_csv(d / "check.csv", convert_options=opts)
        v = pa.table(snap.check(t, column="imei"))
        pq.write_table(v, d / "py.parquet", compression="zstd")

    table = pacsv.read_csv(d / "check.csv", convert_options=opts)
    col = table.column("imei")
    cli_s = best_of(cli, 2)
    e2e_s = best_of(binding_e2e, 2)
    check_s = best_of(lambda: snap.check(col), 3)
    classify_s = best_of(lambda: spectra.classify(col), 3)
    return {"rows": rows, "cli_check_csv_to_parquet_s": cli_s, "binding_csv_to_parquet_s": e2e_s,
            "binding_check_in_memory_s": check_s, "binding_classify_in_memory_s": classify_s,
            "cli_rows_per_s": rows / cli_s, "binding_e2e_rows_per_s": rows / e2e_s,
            "binding_check_rows_per_s": rows / check_s, "binding_classify_rows_per_s": rows / classify_s}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spectra", required=True)
    ap.add_argument("--shared", type=pathlib.Path, required=True)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--pycraf-python", help="a python with pycraf installed (its P.452 on the same paths)")
    ap.add_argument("--only", choices=["p452", "itm", "imei"], action="append")
    args = ap.parse_args()
    only = set(args.only or ["p452", "itm", "imei"])
    result = {"spectra": spectra.__version__, "threads": os.environ.get("RAYON_NUM_THREADS", "all cores")}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        if "p452" in only:
            result["p452"] = p452_bench(args.spectra, args.shared)
            if args.pycraf_python:
                peer = pathlib.Path(__file__).with_name("python_bindings_pycraf.py")
                p = subprocess.run([args.pycraf_python, peer, "--shared", args.shared], check=True,
                                   capture_output=True, text=True)
                result["pycraf"] = json.loads(p.stdout)
        if "itm" in only:
            result["itm"] = itm_bench(args.spectra, args.shared, tmp)
        if "imei" in only:
            result["imei"] = imei_bench(args.spectra, args.rows, tmp)
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
