"""Fixtures of the binding tests: the `spectra` binary (SPECTRA_BIN, set by
cli/tests/python_package.rs), a scratch directory, and inputs made once per
session by the CLI itself (profiles, an IMEI registry and its snapshot)."""

import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
TABLE = REPO / "datasets" / "data" / "kg-ntfa.ntfa"
DAY = "2026-12-01"


def _bin() -> str:
    path = os.environ.get("SPECTRA_BIN")
    if not path:
        pytest.exit("SPECTRA_BIN must name the spectra binary (cli/tests/python_package.rs sets it)", 2)
    return path


def run(*args, cwd=None, check=True) -> subprocess.CompletedProcess:
    """Runs the CLI; a failure shows its stderr."""
    p = subprocess.run([_bin(), *map(str, args)], cwd=cwd, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"spectra {' '.join(map(str, args))} exited {p.returncode}: {p.stderr}")
    return p


def cli_json(*args, cwd=None, check=True):
    """Runs the CLI with --json and parses its standard output."""
    p = run(*args, "--json", cwd=cwd, check=check)
    return json.loads(p.stdout)


@pytest.fixture(scope="session")
def scratch(tmp_path_factory) -> pathlib.Path:
    return tmp_path_factory.mktemp("spectra")


@pytest.fixture(scope="session")
def terrain_profile_csv(scratch) -> pathlib.Path:
    """A 30 km profile over the synthetic relief, written by the test from
    `spectra profile --json`, with clutter and zones."""
    doc = cli_json("profile", "42.75,74.55", "42.95,74.80", "--step-m", "100")
    path = scratch / "relief.csv"
    with path.open("w") as f:
        f.write("d_km,h_m,clutter_m,zone\n")
        n = len(doc["distances_km"])
        for i, (d, h) in enumerate(zip(doc["distances_km"], doc["heights_m"])):
            clutter = 10 if 0 < i < n - 1 and i % 7 == 0 else 0
            f.write(f"{d!r},{h!r},{clutter},{'A2' if i < n * 3 // 4 else 'A1'}\n")
    return path


@pytest.fixture(scope="session")
def registry(scratch):
    """A registry of 5 000 devices with TACs, 20 000 IMEIs to check, the
    CLI's verdicts on them, and the registry's EIR snapshot."""
    d = scratch / "imei"
    d.mkdir()
    run("registry", "new-key", "--out", d / "owner.key")
    run("datasets", "imei", "--rows", "20000", "--out", d / "check.csv",
        "--registry-out", d / "registry.csv", "--tac-out", d / "tacs.csv")
    reg = d / "reg.duckdb"
    run("registry", "import", d / "registry.csv", "--registry", reg, "--key-file", d / "owner.key", "--actor", "pytest")
    run("registry", "import-tac", d / "tacs.csv", "--registry", reg, "--actor", "pytest")
    run("imei", "check", d / "check.csv", "--registry", reg, "--out", d / "verdicts.parquet",
        "--date", DAY, "--quiet", "--actor", "pytest", check=False)
    run("registry", "publish", "--registry", reg, "--out", d / "reg.snapshot", "--date", DAY, "--actor", "pytest")
    return {"dir": d, "registry": reg, "check_csv": d / "check.csv",
            "verdicts": d / "verdicts.parquet", "snapshot": d / "reg.snapshot"}
