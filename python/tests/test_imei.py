"""IMEI bindings against `spectra imei check` / `imei info` on a registry
the CLI built; Arrow columns from pyarrow, polars and DuckDB."""

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import spectra
from conftest import DAY, cli_json

VERDICT_COLUMNS = ["key", "class", "valid", "check_digit_ok", "tac", "tac_known", "model", "status",
                   "reason_codes", "verdict", "reason"]


def _imeis(path):
    opts = pacsv.ConvertOptions(column_types={"imei": pa.string()}, strings_can_be_null=False)
    return pacsv.read_csv(path, convert_options=opts)


def _plain(table, columns):
    return {c: table.column(c).cast(pa.string()).to_pylist()
            if pa.types.is_dictionary(table.column(c).type) else table.column(c).to_pylist()
            for c in columns}


def test_snapshot_check_equals_the_cli_verdicts(registry):
    cli = pq.read_table(registry["verdicts"])
    imeis = _imeis(registry["check_csv"])
    snap = spectra.Snapshot.open(registry["snapshot"])
    mine = snap.check(imeis, column="imei", date=DAY).to_pyarrow()
    assert mine.num_rows == cli.num_rows == imeis.num_rows
    assert mine.column("row").to_pylist() == list(range(imeis.num_rows))
    assert _plain(mine, VERDICT_COLUMNS) == _plain(cli, VERDICT_COLUMNS)
    assert set(mine.column("verdict").cast(pa.string()).to_pylist()) >= {"allowed", "blocked"}


def test_polars_and_duckdb_inputs_give_the_same_verdicts(registry):
    snap = spectra.Snapshot.open(registry["snapshot"])
    imeis = _imeis(registry["check_csv"])
    via_arrow = snap.check(imeis.column("imei"), date=DAY).to_pyarrow()
    via_polars = snap.check(pl.from_arrow(imeis).get_column("imei"), date=DAY).to_pyarrow()
    rel = duckdb.sql(f"select imei from read_csv('{registry['check_csv']}', all_varchar=true)")
    via_duckdb = snap.check(rel, column="imei", date=DAY).to_pyarrow()
    assert _plain(via_polars, VERDICT_COLUMNS) == _plain(via_arrow, VERDICT_COLUMNS)
    assert _plain(via_duckdb, VERDICT_COLUMNS) == _plain(via_arrow, VERDICT_COLUMNS)


def test_info_equals_the_cli(registry):
    imeis = _imeis(registry["check_csv"]).column("imei").to_pylist()
    snap = spectra.Snapshot.open(registry["snapshot"])
    for imei in imeis[:5] + ["490154203237518", "not-an-imei"]:
        cli = cli_json("imei", "info", imei, "--registry", registry["registry"], "--date", DAY,
                       "--actor", "pytest", check=False)
        mine = snap.info(imei, date=DAY)
        # The registry record (owner pseudonym, import declaration) stays in
        # the registry: a snapshot carries no personal data.
        assert "registry" not in mine
        cli.pop("registry", None)
        assert mine == cli


def test_classify_equals_the_cli_columns(registry):
    cli = pq.read_table(registry["verdicts"])
    mine = spectra.classify(_imeis(registry["check_csv"]), column="imei").to_pyarrow()
    cols = ["key", "class", "valid", "check_digit_ok", "tac"]
    assert _plain(mine, cols) == _plain(cli, cols)


def test_classify_values_and_check_digit():
    t = spectra.classify(pa.array(["490154203237518", "490154203237519", "4901542032375101", "12", None]))
    rows = t.to_pyarrow().to_pylist()
    assert [r["class"] for r in rows] == ["imei15", "check_digit_mismatch", "imeisv16", "wrong_length", "empty"]
    assert rows[0]["check_digit_ok"] is True and rows[1]["check_digit_ok"] is False
    assert rows[0]["check_digit"] == rows[2]["check_digit"] == 8
    assert rows[1]["check_digit"] is None and rows[3]["check_digit"] is None  # malformed: no body
    assert rows[2]["software_version"] == 1 and rows[3]["valid"] is False and rows[4]["valid"] is False
    assert spectra.check_digit("49015420323751") == 8
    for body in ["35471646006365", "86220415000001", "35209765474335"]:
        imei15 = cli_json("imei", "info", body, "--actor", "pytest")["imei15"]
        assert spectra.check_digit(body) == int(imei15[-1])
    with pytest.raises(spectra.SpectraError, match="14-digit"):
        spectra.check_digit("4901542032375")


def test_slices_chunks_and_dictionaries_read_as_their_values(registry):
    snap = spectra.Snapshot.open(registry["snapshot"])
    imeis = _imeis(registry["check_csv"]).column("imei").combine_chunks()
    whole = snap.check(imeis, date=DAY).to_pyarrow()
    sliced = snap.check(imeis.slice(1000, 5000), date=DAY).to_pyarrow()
    assert _plain(sliced, VERDICT_COLUMNS) == _plain(whole.slice(1000, 5000), VERDICT_COLUMNS)
    chunked = pa.chunked_array([imeis.slice(0, 7), imeis.slice(7, 100_000)])
    assert _plain(snap.check(chunked, date=DAY).to_pyarrow(), VERDICT_COLUMNS) == _plain(whole, VERDICT_COLUMNS)
    assert snap.check(chunked, date=DAY).to_pyarrow().column("row").to_pylist() == list(range(len(imeis)))
    dictionary = imeis.dictionary_encode()
    assert _plain(snap.check(dictionary, date=DAY).to_pyarrow(), VERDICT_COLUMNS) == _plain(whole, VERDICT_COLUMNS)
    large = imeis.cast(pa.large_string())
    assert _plain(spectra.classify(large).to_pyarrow(), ["key", "class"]) == _plain(
        spectra.classify(imeis).to_pyarrow(), ["key", "class"])


def test_a_table_defaults_to_its_imei_column(registry):
    t = _imeis(registry["check_csv"])
    assert t.column_names == ["imei", "operator"]
    assert len(spectra.classify(t)) == t.num_rows
    with pytest.raises(spectra.SpectraError, match="single"):
        spectra.classify(t.column("imei"), column="imei")


def test_bad_inputs_are_refused(registry, scratch):
    with pytest.raises(spectra.SpectraError, match="text column"):
        spectra.classify(pa.array([490154203237518]))
    with pytest.raises(spectra.SpectraError, match="none named"):
        spectra.classify(pa.table({"a": ["1"], "b": ["2"]}))
    with pytest.raises(spectra.SpectraError, match="Arrow"):
        spectra.classify({"imei": "490154203237518"})
    assert spectra.classify(["490154203237518", None]).to_pyarrow().column("valid").to_pylist() == [True, False]
    damaged = scratch / "damaged.snapshot"
    data = bytearray(registry["snapshot"].read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(spectra.SpectraError):
        spectra.Snapshot.open(damaged)
