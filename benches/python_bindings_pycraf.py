"""pycraf's P.452 (its public API: `pathprof.PathProp` + `pathprof.loss_complete`,
P.452-16, from PyPI) on the three reference paths of
benches/python_bindings.py, with the same inputs (terrain heights only:
pycraf takes clutter as two zones, not per profile point). Prints JSON.
Run by benches/python_bindings.sh in its own venv (pycraf pins its own
numpy and astropy)."""

import argparse
import csv
import json
import pathlib
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")
from astropy import units as u  # noqa: E402
from pycraf import conversions as cnv  # noqa: E402
from pycraf import pathprof  # noqa: E402

CASES = [
    ("mixed_109km", "test_profile_mixed_109km.csv"),
    ("rburg_rural_with_clutter", "test_profile_rburg_rural_with_clutter.csv"),
    ("b2iseac_eqdist", "test_profile_b2iseac_eqdist.csv"),
]


def read(path):
    d, h = [], []
    with open(path) as f:
        rows = csv.reader(f)
        next(rows)
        for r in rows:
            if r and r[0].strip():
                d.append(float(r[0]))
                h.append(float(r[1]))
    return np.array(d), np.array(h)


def one(d_km, h_m):
    step = np.median(np.diff(d_km))
    pp = pathprof.PathProp(
        2.0 * u.GHz, (273.15 + 15.0) * u.K, 1013.25 * u.hPa, 0.0 * u.deg, 51.8 * u.deg, 0.0 * u.deg,
        50.8197 * u.deg, 20.0 * u.m, 10.0 * u.m, step * u.km, 1.0 * u.percent, polarization=1,
        hprof_dists=d_km * u.km, hprof_heights=h_m * u.m, hprof_bearing=180.0 * u.deg,
        hprof_backbearing=0.0 * u.deg, delta_N=45.0 * u.dimensionless_unscaled / u.km,
        N0=325.0 * u.dimensionless_unscaled,
    )
    losses = pathprof.loss_complete(pp, 10.0 * cnv.dBi, 5.0 * cnv.dBi)
    return losses[4].to_value(u.dB)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=pathlib.Path, required=True)
    args = ap.parse_args()
    out = []
    for label, file in CASES:
        d, h = read(args.shared / "propagation" / "p452" / "profiles" / file)
        lb = one(d, h)
        calls = 200 if len(d) < 500 else 50
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            for _ in range(calls):
                one(d, h)
            best = min(best, (time.perf_counter() - t) / calls)
        out.append({"path": label, "points": len(d), "lb_db": float(lb), "public_api_us": best * 1e6})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
