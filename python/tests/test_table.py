"""spectra.Table against `spectra table … --json` on the sample national table."""

import datetime

import pyarrow.parquet as pq
import pytest

import spectra
from conftest import TABLE, cli_json, run


@pytest.fixture(scope="module")
def table():
    return spectra.Table.load(TABLE)


def test_load_counts_the_bands_the_cli_validates(table):
    report = cli_json("table", "validate", "--table", TABLE, check=False)
    assert len(table) == report["bands"]
    assert table.validate() == report
    f = table.findings().to_pyarrow()
    assert f.num_rows == len(report["findings"])
    assert f.column_names == ["line", "kind", "lower_hz", "upper_hz", "message"]


@pytest.mark.parametrize("freq", ["435 MHz", "2.4GHz", 100_000_000, "8.3kHz"])
def test_at_equals_the_cli(table, freq):
    assert table.at(freq) == cli_json("table", "at", str(freq), "--table", TABLE)


def test_the_open_view_withholds_what_the_internal_view_shows(table):
    open_ = table.range("1 MHz", "3000 GHz")["bands"]
    internal = table.range("1 MHz", "3000 GHz", audience="internal")["bands"]
    assert len(internal) > len(open_)
    shown = {(b["lower_hz"], b["upper_hz"]) for b in open_}
    withheld = [b for b in internal if (b["lower_hz"], b["upper_hz"]) not in shown]
    assert withheld and all(b["category"] == "government" for b in withheld)
    assert table.range("1 MHz", "3000 GHz", audience="internal") == cli_json(
        "table", "range", "1 MHz", "3000 GHz", "--internal", "--table", TABLE)


def test_range_and_service_equal_the_cli(table):
    assert table.range("400 MHz", "470 MHz") == cli_json("table", "range", "400 MHz", "470 MHz", "--table", TABLE)
    assert table.service("Amateur", primary_only=True) == cli_json(
        "table", "service", "Amateur", "--primary-only", "--table", TABLE)


def test_unit_hint_for_a_bare_number(table):
    assert "hint" in table.at(435)


def test_diff_against_a_converted_copy_equals_the_cli(table, scratch):
    bands = table.range("1 MHz", "3000 GHz", audience="internal")["bands"]
    b = next(b for b in bands if b["category"] == "government")
    converted = scratch / "converted.ntfa"
    run("table", "convert", "--table", TABLE, "--out", converted, "--lower", b["lower_hz"], "--upper",
        b["upper_hz"], "--from", "government", "--to", "civil", "--reference", "GKS-1", "--authority", "SCRT",
        "--date", "2026-01-01")
    other = spectra.Table.load(converted)
    mine = table.diff(other)
    assert mine == cli_json("table", "diff", "--table", TABLE, "--against", converted)
    assert mine != table.diff(table)
    assert other.history() == cli_json("table", "history", "--table", converted)
    assert len(other.history()["decisions"]) == len(table.history()["decisions"]) + 1


def test_convert_and_as_of_equal_the_cli(scratch):
    out = scratch / "cli-converted.ntfa"
    cli = cli_json("table", "convert", "--table", TABLE, "--out", out, "--lower", "230 MHz", "--upper", "312 MHz",
                   "--from", "government", "--to", "civil", "--reference", "R-7", "--authority", "SCRT",
                   "--date", "2026-01-01")
    t = spectra.Table.load(TABLE)
    mine = t.convert("230 MHz", "312 MHz", "government", "civil", "R-7", "SCRT", "2026-01-01")
    assert mine == cli["decision"]
    run("table", "history", "--table", out, "--as-of", "2025-12-31", "--internal", "--out", scratch / "past.parquet")
    past = pq.read_table(scratch / "past.parquet").to_pylist()
    assert t.as_of("2025-12-31").to_arrow(audience="internal").to_pyarrow().to_pylist() == past


def test_convert_records_a_decision_and_refuses_what_is_not_a_conversion(table):
    t = spectra.Table.load(TABLE)
    hits = [b for b in t.range("1 MHz", "3000 GHz", audience="internal")["bands"] if b["category"] == "government"]
    assert hits, "the sample table has government bands"
    b = hits[0]
    decision = t.convert(b["lower_hz"], b["upper_hz"], "government", "civil", "X-1", "SCRT", datetime.date(2026, 1, 1))
    assert decision["from"] == "government" and decision["to"] == "civil"
    assert t.at(b["lower_hz"], audience="internal")["bands"][0]["category"] == "civil"
    before = t.as_of("2025-12-31").at(b["lower_hz"], audience="internal")["bands"][0]["category"]
    assert before == "government"
    with pytest.raises(spectra.SpectraError, match="not a conversion"):
        t.convert(b["lower_hz"], b["upper_hz"], "civil", "government", "X-2", "SCRT", "2026-02-01")


def test_to_arrow_equals_the_parquet_export(table, scratch):
    out = scratch / "ntfa.parquet"
    run("table", "export", "--table", TABLE, "--out", out)
    cli = pq.read_table(out)
    mine = table.to_arrow().to_pyarrow()
    assert mine.schema.names == cli.schema.names
    assert mine.to_pylist() == cli.to_pylist()


def test_export_by_extension(table, scratch):
    out = scratch / "mine.csv"
    table.export(out)
    run("table", "export", "--table", TABLE, "--out", scratch / "cli.csv")
    assert out.read_text() == (scratch / "cli.csv").read_text()


def test_errors_say_what_was_expected(table, scratch):
    with pytest.raises(spectra.SpectraError, match="expected"):
        table.at("435 parsecs")
    with pytest.raises(spectra.SpectraError, match="audience"):
        table.at("435 MHz", audience="public")
    with pytest.raises(spectra.SpectraError):
        spectra.Table.load(scratch / "missing.ntfa")
    with pytest.raises(spectra.SpectraError, match="standard output"):
        table.export("-")
    copy = scratch / "copy.ntfa"
    copy.write_bytes(TABLE.read_bytes())
    with pytest.raises(spectra.SpectraError):
        spectra.Table.load(copy).export(copy)
    assert copy.read_bytes() == TABLE.read_bytes()


def test_the_exception_pickles():
    import pickle
    e = pickle.loads(pickle.dumps(spectra.SpectraError("x")))
    assert type(e) is spectra.SpectraError and str(e) == "x"
