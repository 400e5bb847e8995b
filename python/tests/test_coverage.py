"""spectra.coverage against `spectra coverage` on the synthetic relief."""

import numpy as np
import pyarrow.parquet as pq
import pytest

import spectra
from conftest import run


@pytest.mark.parametrize("model", ["itm", "p1812", "p1546", "hata"])
def test_map_equals_the_cli_cells(scratch, model):
    prefix = scratch / f"cov-{model}"
    run("coverage", "--site", "42.80,74.60", "--height-m", "60", "--freq-mhz", "600", "--eirp-dbm", "70",
        "--radius-km", "6", "--resolution-m", "200", "--model", model, "--out", prefix, "--quiet")
    cli = pq.read_table(str(prefix) + ".parquet")
    m = spectra.coverage((42.80, 74.60), 60.0, 600.0, 70.0, radius_km=6.0, resolution_m=200.0, model=model)
    mine = m.cells().to_pyarrow()
    assert mine.schema.names == cli.schema.names
    for c in cli.schema.names:
        assert mine.column(c).to_pylist() == cli.column(c).to_pylist(), c
    grid = m.field_strength_dbuv_per_m
    assert grid.shape == m.shape and grid.dtype == np.float32
    rows, cols = cli.column("row").to_pylist(), cli.column("col").to_pylist()
    values = cli.column("field_strength_dbuv_per_m").to_pylist()
    assert all(grid[r, c] == v for r, c, v in zip(rows, cols, values))
    assert np.isnan(grid).sum() == grid.size - len(values)


def test_itm_exact_mode_equals_the_cli_and_the_radial_mode_to_rounding(scratch):
    prefix = scratch / "cov-itm-exact"
    run("coverage", "--site", "42.80,74.60", "--height-m", "60", "--freq-mhz", "600", "--eirp-dbm", "70",
        "--radius-km", "6", "--resolution-m", "200", "--model", "itm", "--itm-exact", "--out", prefix, "--quiet")
    cli = pq.read_table(str(prefix) + ".parquet")
    exact = spectra.coverage((42.80, 74.60), 60.0, 600.0, 70.0, radius_km=6.0, resolution_m=200.0, itm_exact=True)
    assert exact.cells().to_pyarrow().column("loss_db").to_pylist() == cli.column("loss_db").to_pylist()
    radial = spectra.coverage((42.80, 74.60), 60.0, 600.0, 70.0, radius_km=6.0, resolution_m=200.0)
    a, b = exact.loss_db, radial.loss_db
    assert np.array_equal(np.isnan(a), np.isnan(b))
    assert np.nanmax(np.abs(a - b)) < 1e-3
    assert dict(exact.provenance)["itm.map_mode"] == "exact"
    assert dict(radial.provenance)["itm.map_mode"] == "radial"


def test_georeference_places_the_site_in_the_map():
    m = spectra.coverage((42.80, 74.60), 60.0, 600.0, 70.0, radius_km=3.0, resolution_m=100.0)
    west, dlon, _, north, _, neg_dlat = m.geotransform
    rows, cols = m.shape
    assert west < 74.60 < west + cols * dlon
    assert north + rows * neg_dlat < 42.80 < north
    assert m.crs == "EPSG:4326"
    s = m.summary
    assert s["failed_cells"] == 0 and s["valid_cells"] == int((~np.isnan(m.loss_db)).sum()) > 0
    assert s["n_radials"] > 0 and s["model"] == "itm"


def test_bad_studies_are_refused():
    with pytest.raises(spectra.SpectraError, match="radius_km"):
        spectra.coverage((42.8, 74.6), 60.0, 600.0, 70.0)
    with pytest.raises(spectra.SpectraError, match="model"):
        spectra.coverage((42.8, 74.6), 60.0, 600.0, 70.0, radius_km=2.0, model="magic")
    with pytest.raises(spectra.SpectraError, match="radius_km"):
        spectra.coverage((42.8, 74.6), 60.0, 600.0, 70.0, radius_km=-2.0)
    with pytest.raises(spectra.SpectraError, match="^height_m: "):
        spectra.coverage((42.8, 74.6), -1.0, 600.0, 70.0, radius_km=2.0)
    with pytest.raises(spectra.SpectraError, match="^itm_percent: "):
        spectra.coverage((42.8, 74.6), 60.0, 600.0, 70.0, radius_km=2.0, itm_percent=(50.0, 150.0, 50.0))
