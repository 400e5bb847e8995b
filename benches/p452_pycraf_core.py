"""pycraf 2.1's compiled P.452-16 core on the three reference paths of the
`propagation_itu` Criterion bench, called with plain floats as a Cython
caller would: `cyprop._PathProp(...)` (the path analysis) then
`cyprop.path_attenuation_complete_cython` (the losses). Same inputs as the
bench: 2 GHz, 1 % of time, 20 m / 10 m, ΔN = 45, N0 = 325, 15 °C,
1013.25 hPa, vertical polarisation, path centre 51.31° N (pycraf takes the
terrain heights only). Prints JSON: {label: {"points": n, "us_per_path": t}}.
Run by benches/p452_peer.sh in its own venv."""

import argparse
import json
import pathlib
import time

import numpy as np

# The three paths and their reader are those of the public-API script.
from python_bindings_pycraf import CASES, read  # noqa: E402
from pycraf.pathprof import cyprop  # noqa: E402


def one(d_km, h_m, step):
    pp = cyprop._PathProp(
        2.0, 288.15, 1013.25, 0.0, 51.8, 0.0, 50.8197, 20.0, 10.0, step, 1.0, 0.0,
        None, None, None, None, -1, -1, 1, 16, 45.0, 325.0, d_km, h_m, 180.0, 0.0,
    )
    return cyprop.path_attenuation_complete_cython(pp, 10.0, 5.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--only", help="one path label")
    args = ap.parse_args()
    out = {}
    for label, file in CASES:
        if args.only and label != args.only:
            continue
        d, h = read(pathlib.Path(args.shared) / "propagation/p452/profiles" / file)
        step = float(np.median(np.diff(d)))
        one(d, h, step)
        rounds = []
        for _ in range(9):
            n, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < args.seconds / 9:
                for _ in range(50):
                    one(d, h, step)
                n += 50
            rounds.append((time.perf_counter() - t0) / n)
        # The median round, as Criterion's median on the Spectra side.
        out[label] = {"points": int(d.size), "us_per_path": float(np.median(rounds)) * 1e6}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
