"""The Spark job in local mode against the single-machine CLI: the same
verdicts and the same cells, row for row (compared sorted: Spark writes its
parts in any order). Run by cli/tests/python_package.rs with SPECTRA_BIN."""

import os
import pathlib
import subprocess
import sys

import pyarrow as pa
import pyarrow.csv  # noqa: F401  (pa.csv)
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import spectra_spark  # noqa: E402

DAY = "2026-12-01"


def cli(*args, check=True):
    p = subprocess.run([os.environ["SPECTRA_BIN"], *map(str, args)], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"spectra {' '.join(map(str, args))}: {p.stderr}")
    return p


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    s = (SparkSession.builder.master("local[2]").appName("spectra-test")
         .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false")
         .config("spark.sql.execution.arrow.maxRecordsPerBatch", "5000").getOrCreate())
    yield s
    s.stop()


def rows(table: pa.Table, columns):
    t = table.select(columns)
    t = t.cast(pa.schema([pa.field(c, pa.string() if pa.types.is_dictionary(t.schema.field(c).type)
                                   else t.schema.field(c).type) for c in columns]))
    return sorted(t.to_pylist(), key=lambda r: tuple("" if v is None else str(v) for v in r.values()))


def test_bulk_check_equals_the_cli(spark, tmp_path):
    d = tmp_path
    cli("registry", "new-key", "--out", d / "k")
    cli("datasets", "imei", "--rows", "30000", "--out", d / "check.csv", "--registry-out", d / "reg.csv",
        "--tac-out", d / "tacs.csv")
    cli("registry", "import", d / "reg.csv", "--registry", d / "r.duckdb", "--key-file", d / "k", "--actor", "t")
    cli("registry", "import-tac", d / "tacs.csv", "--registry", d / "r.duckdb", "--actor", "t")
    cli("imei", "check", d / "check.csv", "--registry", d / "r.duckdb", "--out", d / "cli.parquet", "--date", DAY,
        "--quiet", "--actor", "t", check=False)
    cli("registry", "publish", "--registry", d / "r.duckdb", "--out", d / "r.snapshot", "--date", DAY, "--actor", "t")
    spectra_spark.imei_check(spark, str(d / "r.snapshot"), str(d / "check.csv"), str(d / "spark"), "imei", DAY)
    mine = pq.read_table(d / "spark")
    theirs = pq.read_table(d / "cli.parquet")
    columns = ["imei", "operator", "key", "class", "valid", "check_digit_ok", "tac", "tac_known", "model",
               "status", "reason_codes", "verdict", "reason"]
    assert mine.num_rows == theirs.num_rows == 30000
    # Spark's CSV reader gives null for an empty field where the CLI keeps "":
    # the passed-through input columns are compared with "" for null.
    blank = lambda rs: [{k: ("" if v is None and k in ("imei", "operator") else v) for k, v in r.items()}  # noqa: E731
                        for r in rs]
    assert sorted(map(str, blank(rows(mine, columns)))) == sorted(map(str, blank(rows(theirs, columns))))
    verdicts = columns[2:]
    assert rows(mine, verdicts) == rows(theirs, verdicts)


def test_parquet_input_and_refused_inputs(spark, tmp_path):
    d = tmp_path
    cli("registry", "new-key", "--out", d / "k")
    cli("datasets", "imei", "--rows", "3000", "--out", d / "check.csv", "--registry-out", d / "reg.csv",
        "--tac-out", d / "tacs.csv")
    cli("registry", "import", d / "reg.csv", "--registry", d / "r.duckdb", "--key-file", d / "k", "--actor", "t")
    cli("registry", "publish", "--registry", d / "r.duckdb", "--out", d / "parquet-case.snapshot", "--date", DAY, "--actor", "t")
    t = pa.csv.read_csv(d / "check.csv", convert_options=pa.csv.ConvertOptions(
        column_types={"imei": pa.string(), "operator": pa.string()}, strings_can_be_null=False))
    pq.write_table(t, d / "in.parquet")
    spectra_spark.imei_check(spark, str(d / "parquet-case.snapshot"), str(d / "in.parquet"), str(d / "out"), "imei", DAY)
    out = pq.read_table(d / "out")
    assert out.num_rows == 3000 and set(out.column("verdict").to_pylist()) <= {"allowed", "grey", "blocked"}
    pq.write_table(t.append_column("status", pa.array(["x"] * t.num_rows)), d / "clash.parquet")
    with pytest.raises(SystemExit, match="status"):
        spectra_spark.imei_check(spark, str(d / "parquet-case.snapshot"), str(d / "clash.parquet"), str(d / "o2"), "imei", DAY)
    pq.write_table(pa.table({"imei": pa.array([490154203237518] * 3)}), d / "ints.parquet")
    with pytest.raises(SystemExit, match="as text"):
        spectra_spark.imei_check(spark, str(d / "parquet-case.snapshot"), str(d / "ints.parquet"), str(d / "o3"), "imei", DAY)


def test_coverage_sweep_equals_the_cli(spark, tmp_path):
    sites = [("tx-a", 42.80, 74.60, 60.0, 600.0, 70.0, 4.0, 250.0),
             ("tx-b", 42.87, 74.55, 40.0, 800.0, 60.0, 3.0, 250.0),
             ("tx-c", 42.75, 74.70, 30.0, 2100.0, 58.0, 2.0, 200.0)]
    tx = pa.table({c: [s[i] for s in sites] for i, c in enumerate(spectra_spark.TRANSMITTER_COLUMNS)})
    pq.write_table(tx, tmp_path / "tx.parquet")
    spectra_spark.coverage_sweep(spark, str(tmp_path / "tx.parquet"), str(tmp_path / "cells"), 3)
    mine = pq.read_table(tmp_path / "cells")
    expected = []
    for tx_id, lat, lon, h, f, eirp, r, res in sites:
        prefix = tmp_path / tx_id
        cli("coverage", "--site", f"{lat},{lon}", "--height-m", h, "--freq-mhz", f, "--eirp-dbm", eirp,
            "--radius-km", r, "--resolution-m", res, "--out", prefix, "--quiet")
        t = pq.read_table(str(prefix) + ".parquet")
        expected.extend({"tx_id": tx_id, **row} for row in t.to_pylist())
    columns = ["tx_id", "row", "col", "lat_deg", "lon_deg", "loss_db", "field_strength_dbuv_per_m", "rx_power_dbm"]
    key = lambda r: (r["tx_id"], r["row"], r["col"])  # noqa: E731
    assert mine.num_rows == len(expected) > 0
    assert sorted(mine.select(columns).to_pylist(), key=key) == sorted(expected, key=key)
