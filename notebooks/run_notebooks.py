"""Executes every notebook in this folder headless (nbclient) on small
fixtures that the `spectra` CLI writes, and fails on the first cell that
fails. `cargo test` runs it (cli/tests/python_package.rs); by hand:

    python notebooks/run_notebooks.py --spectra target/release/spectra

The fixtures have the layout of `spectra demo`'s `out/` folder, which is
where the notebooks look when SPECTRA_NOTEBOOK_DATA is not set.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def cli(spectra: str, *args) -> None:
    p = subprocess.run([spectra, *map(str, args)], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"spectra {' '.join(map(str, args))} exited {p.returncode}: {p.stderr}")


def fixtures(spectra: str, out: pathlib.Path) -> None:
    """The outputs the notebooks read, made by the CLI (a small `spectra demo`)."""
    out.mkdir(parents=True, exist_ok=True)
    cli(spectra, "table", "export", "--out", out / "ntfa.parquet")
    converted = out / "ntfa-converted.ntfa"
    for i, (lower, upper, frm, to, day) in enumerate([
        ("1435 MHz", "1452 MHz", "government", "joint", "2025-03-01"),
        ("230 MHz", "312 MHz", "government", "civil", "2025-09-01"),
        ("410 MHz", "420 MHz", "joint", "civil", "2026-01-15"),
    ]):
        source = [] if i == 0 else ["--table", converted]
        cli(spectra, "table", "convert", *source, "--out", converted, "--lower", lower, "--upper", upper,
            "--from", frm, "--to", to, "--reference", f"FIXTURE-{i + 1}", "--authority", "Agency (fixture)",
            "--date", day)
    cli(spectra, "coverage", "--site", "42.80,74.60", "--height-m", "60", "--freq-mhz", "600",
        "--eirp-dbm", "70", "--radius-km", "12", "--resolution-m", "200", "--out", out / "coverage_bishkek",
        "--quiet")
    imei = out / "imei"
    imei.mkdir(exist_ok=True)
    cli(spectra, "registry", "new-key", "--out", imei / "pseudonym.key")
    cli(spectra, "datasets", "imei", "--rows", "50000", "--out", imei / "check-input.csv",
        "--registry-out", imei / "registry-devices.csv", "--tac-out", imei / "tacs.csv")
    reg = imei / "registry.duckdb"
    cli(spectra, "registry", "import", imei / "registry-devices.csv", "--registry", reg,
        "--key-file", imei / "pseudonym.key", "--actor", "notebooks")
    cli(spectra, "registry", "import-tac", imei / "tacs.csv", "--registry", reg, "--actor", "notebooks")
    verdicts = imei / "verdicts.parquet"
    verdicts.unlink(missing_ok=True)
    p = subprocess.run([spectra, "imei", "check", imei / "check-input.csv", "--registry", reg, "--out",
                        verdicts, "--quiet", "--actor", "notebooks"], capture_output=True, text=True)
    # Exit 1 is the documented "some rows were refused" (malformed IMEIs are part of the fixture).
    if p.returncode not in (0, 1) or not verdicts.exists():
        sys.exit(f"spectra imei check exited {p.returncode}: {p.stderr}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spectra", required=True, help="the spectra binary")
    ap.add_argument("--data", type=pathlib.Path, help="fixture folder (default: a temporary one)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = ap.parse_args()

    import nbformat
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or pathlib.Path(tmp) / "out"
        fixtures(args.spectra, data)
        os.environ["SPECTRA_NOTEBOOK_DATA"] = str(data)
        os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend renders the figures
        notebooks = sorted(HERE.glob("*.ipynb"))
        if not notebooks:
            sys.exit("no notebook found")
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            if any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code"):
                sys.exit(f"{path.name}: committed with outputs; clear them (jupyter nbconvert --clear-output)")
            client = NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(HERE)}})
            client.execute()
            figures = sum(1 for c in nb.cells for o in c.get("outputs", [])
                          if "image/png" in o.get("data", {}))
            print(json.dumps({"notebook": path.name, "cells": len(nb.cells), "figures": figures}))
            if figures == 0:
                sys.exit(f"{path.name}: executed but drew no figure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
