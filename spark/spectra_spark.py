"""Spectra on Apache Spark: the national bulk IMEI check and a coverage sweep
over many transmitters, spread over a cluster with `mapInArrow`; each Arrow
batch goes through the `spectra` Python package (the same Rust code as the
CLI), so the output equals the single-machine CLI's row for row.

    spark-submit spark/spectra_spark.py imei-check \\
        --snapshot registry.snapshot --input 's3://…/imeis/*.parquet' \\
        --output 's3://…/verdicts' [--column imei] [--date 2026-12-01]

    spark-submit spark/spectra_spark.py coverage-sweep \\
        --transmitters transmitters.parquet --output 's3://…/cells'

Every executor needs the `spectra` wheel installed (or shipped in a packed
virtual environment with `--archives`); the snapshot is shipped to them
with the job (`SparkContext.addFile`). See the README, "Scale-out on Spark".
"""

import argparse
import datetime
import os
import sys

#: The verdict columns as Spark types (dictionary columns arrive as strings).
VERDICT_DDL = (
    "key string, class string, valid boolean, check_digit_ok boolean, tac string, tac_known boolean, "
    "model string, status string, reason_codes string, verdict string, reason string"
)

#: The cells of a coverage map, with the transmitter's id.
CELLS_DDL = (
    "tx_id string, row int, col int, lat_deg double, lon_deg double, loss_db float, "
    "field_strength_dbuv_per_m float, rx_power_dbm float"
)

#: The transmitters of a sweep: one map each (what `spectra coverage` takes).
TRANSMITTER_COLUMNS = ["tx_id", "lat_deg", "lon_deg", "height_m", "freq_mhz", "eirp_dbm", "radius_km",
                       "resolution_m"]


#: Verdict column names (an input column of the same name is refused).
VERDICT_COLUMNS = [c.split()[0] for c in VERDICT_DDL.split(", ")]

#: Snapshots opened in this Python worker, by file (a worker serves many
#: partitions: the snapshot is read once per worker, not once per partition).
_SNAPSHOTS = {}


def _snapshot(path: str):
    import spectra

    if path not in _SNAPSHOTS:
        _SNAPSHOTS[path] = spectra.Snapshot.open(path)
    return _SNAPSHOTS[path]


def check_batches(snapshot_name: str, column: str, day: str):
    """The mapInArrow function of the bulk check: input columns + verdicts."""

    def run(batches):
        import pyarrow as pa
        from pyspark import SparkFiles

        snap = _snapshot(SparkFiles.get(snapshot_name))
        for batch in batches:
            verdicts = pa.table(snap.check(batch, column=column, date=day))
            columns = {name: batch.column(name) for name in batch.schema.names}
            for name in verdicts.column_names:
                if name == "row":
                    continue
                col = verdicts.column(name)
                if pa.types.is_dictionary(col.type):
                    col = col.cast(pa.string())
                columns[name] = col.combine_chunks()
            yield pa.RecordBatch.from_pydict(columns)

    return run


def sweep_batches():
    """The mapInArrow function of the sweep: one coverage map per transmitter."""

    def run(batches):
        import pyarrow as pa

        import spectra

        for batch in batches:
            for tx in batch.to_pylist():
                m = spectra.coverage(
                    (tx["lat_deg"], tx["lon_deg"]), tx["height_m"], tx["freq_mhz"], tx["eirp_dbm"],
                    radius_km=tx["radius_km"], resolution_m=tx["resolution_m"], threads=1,
                )
                cells = pa.table(m.cells())
                ids = pa.array([tx["tx_id"]] * cells.num_rows, pa.string())
                out = {"tx_id": ids}
                for name in cells.column_names:
                    col = cells.column(name).combine_chunks()
                    if name in ("row", "col"):
                        col = col.cast(pa.int32())
                    out[name] = col
                yield pa.RecordBatch.from_pydict(out)

    return run


def imei_check(spark, snapshot: str, input_path: str, output: str, column: str, day: str) -> None:
    """Reads IMEIs (Parquet, or CSV with a header: every column as text),
    checks them against the snapshot and writes Parquet."""
    spark.sparkContext.addFile(snapshot)
    spark.sparkContext.addPyFile(os.path.abspath(__file__))  # this module, for the executors
    if input_path.endswith(".csv"):
        # Every column as text. Spark reads an empty field as null where the
        # CLI reads "": both give the same verdict (class "empty").
        df = spark.read.option("header", True).option("inferSchema", False).csv(input_path)
    else:
        df = spark.read.parquet(input_path)
    if column not in df.columns:
        raise SystemExit(f"{input_path}: expected a column named {column!r}, found {df.columns}")
    if df.schema[column].dataType.simpleString() != "string":
        raise SystemExit(f"{input_path}: expected the column {column!r} as text (IMEIs keep their leading zeros), "
                         f"found {df.schema[column].dataType.simpleString()}")
    clash = sorted(set(df.columns) & set(VERDICT_COLUMNS))
    if clash:
        raise SystemExit(f"{input_path}: the input columns {clash} have the names of verdict columns; rename them")
    schema = ", ".join(f"`{f.name}` {f.dataType.simpleString()}" for f in df.schema.fields)
    out = df.mapInArrow(check_batches(os.path.basename(snapshot), column, day), f"{schema}, {VERDICT_DDL}")
    out.write.mode("overwrite").parquet(output)


def coverage_sweep(spark, transmitters: str, output: str, partitions: int) -> None:
    """Computes one map per transmitter (Parquet input) and writes the cells."""
    df = spark.read.parquet(transmitters)
    missing = [c for c in TRANSMITTER_COLUMNS if c not in df.columns]
    if missing:
        raise SystemExit(f"{transmitters}: expected the columns {TRANSMITTER_COLUMNS}, missing {missing}")
    df = df.select(*TRANSMITTER_COLUMNS).repartition(partitions, "tx_id")
    df.mapInArrow(sweep_batches(), CELLS_DDL).write.mode("overwrite").parquet(output)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="job", required=True)
    c = sub.add_parser("imei-check", help="bulk IMEI check against an EIR snapshot")
    c.add_argument("--snapshot", required=True, help="spectra registry publish --out FILE")
    c.add_argument("--input", required=True, help="Parquet (or .csv) of IMEIs")
    c.add_argument("--output", required=True, help="Parquet folder to write")
    c.add_argument("--column", default="imei", help="the IMEI column (text)")
    c.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
                   help="verdict date YYYY-MM-DD (default: today, UTC, as the CLI)")
    s = sub.add_parser("coverage-sweep", help="one coverage map per transmitter")
    s.add_argument("--transmitters", required=True, help="Parquet with " + ", ".join(TRANSMITTER_COLUMNS))
    s.add_argument("--output", required=True, help="Parquet folder to write")
    s.add_argument("--partitions", type=int, default=64, help="work items (transmitters are spread over them)")
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName(f"spectra {args.job}").getOrCreate()
    try:
        if args.job == "imei-check":
            imei_check(spark, args.snapshot, args.input, args.output, args.column, args.date)
        else:
            coverage_sweep(spark, args.transmitters, args.output, args.partitions)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
