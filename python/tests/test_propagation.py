"""Every propagation binding against `spectra propagate … --json` on the
same inputs: the numbers must be bit-identical (JSON floats round-trip)."""

import numpy as np
import pytest

import spectra
from conftest import cli_json


@pytest.fixture(scope="module")
def relief(terrain_profile_csv):
    return spectra.Profile.read_csv(terrain_profile_csv)


def test_profile_from_terrain_equals_the_cli_profile():
    doc = cli_json("profile", "42.75,74.55", "42.95,74.80")
    p = spectra.Profile.from_terrain((42.75, 74.55), (42.95, 74.80))
    assert p.distances_km.tolist() == doc["distances_km"]
    assert p.heights_m.tolist() == doc["heights_m"]
    assert p.missing_samples == 0
    with pytest.raises(spectra.SpectraError):
        spectra.Profile.from_terrain((10.0, 10.0), (10.1, 10.1))  # outside the relief: an error by default
    sea = spectra.Profile.from_terrain((10.0, 10.0), (10.1, 10.1), missing="sea-level")
    assert sea.missing_samples == len(sea) and not sea.heights_m.any()


def test_free_space_scalar_and_vector():
    cli = cli_json("propagate", "free-space", "--freq-mhz", "600", "--distance-km", "12.5")
    assert spectra.free_space_loss_db(600.0, 12.5) == cli["loss_db"]
    v = spectra.free_space_loss_db(np.array([600.0, 600.0]), np.array([12.5, 25.0]))
    assert v[0] == cli["loss_db"] and v[1] > v[0]


def test_hata_equals_the_cli():
    cli = cli_json("propagate", "hata", "--freq-mhz", "900", "--h-b-m", "30", "--h-m-m", "1.5",
                   "--distance-km", "5", "--env", "suburban", "--city", "large")
    assert spectra.hata_loss_db(900.0, 30.0, 1.5, 5.0, environment="suburban", city="large") == cli["loss_db"]
    d = np.linspace(1, 20, 50)
    losses = spectra.hata_loss_db(900.0, 30.0, 1.5, d)
    assert losses.shape == (50,) and np.all(np.diff(losses) > 0)


@pytest.mark.parametrize("method,args,call", [
    ("terrestrial", ["--freq-ghz", "3.5", "--distance-km", "2", "--percent", "50"],
     lambda: spectra.p2108_terrestrial_db(3.5, 2.0, 50.0)),
    ("aeronautical", ["--freq-ghz", "30", "--theta-deg", "20", "--percent", "50"],
     lambda: spectra.p2108_aeronautical_db(30.0, 20.0, 50.0)),
    ("height-gain", ["--freq-ghz", "1.5", "--h-m", "2", "--clutter-type", "4"],
     lambda: spectra.p2108_height_gain_db(1.5, 2.0, 4)),
])
def test_p2108_equals_the_cli(method, args, call):
    assert call() == cli_json("propagate", "p2108", "--method", method, *args)["loss_db"]


def test_p2109_equals_the_cli():
    cli = cli_json("propagate", "p2109", "--freq-ghz", "28", "--percent", "90", "--class", "2", "--theta-deg", "30")
    assert spectra.p2109_loss_db(28.0, 90.0, 2, 30.0) == cli["loss_db"]
    v = spectra.p2109_loss_db(28.0, np.array([10.0, 50.0, 90.0]), 2, 30.0)
    assert v[2] == cli["loss_db"] and v[0] < v[1] < v[2]
    with pytest.raises(spectra.SpectraError, match="0.08..=100 GHz"):
        spectra.p2109_loss_db(200.0, 50.0)


def test_p676_equals_the_cli():
    cli = cli_json("propagate", "p676", "--freq-ghz", "22.235", "--distance-km", "5", "--rho-g-m3", "12",
                   "--temp-c", "25")
    assert spectra.p676_terrestrial_db(22.235, 5.0, rho_g_m3=12.0, temp_c=25.0) == cli["loss_db"]
    v = spectra.p676_terrestrial_db(np.array([22.235, 60.0]), 5.0, rho_g_m3=12.0, temp_c=25.0)
    assert v[0] == cli["loss_db"] and v[1] > v[0]
    with pytest.raises(spectra.SpectraError, match="1..=1000 GHz"):
        spectra.p676_terrestrial_db(0.5, 1.0)


def test_p676_slant_and_p528_equal_the_cli():
    cli = cli_json("propagate", "p676", "--freq-ghz", "28", "--elevation-deg", "30", "--station-km", "0.5")
    v = spectra.p676_slant_db(28.0, np.array([30.0, 10.0]), station_km=0.5)
    assert v[0] == cli["loss_db"] and v[1] > v[0]
    with pytest.raises(spectra.SpectraError, match="negative only above sea level"):
        spectra.p676_slant_db(28.0, -1.0)
    cli = cli_json("propagate", "p528", "--freq-mhz", "3000", "--distance-km", "600", "--h1-m", "10",
                   "--h2-m", "20000", "--pol", "v")
    v = spectra.p528_loss_db(3000.0, np.array([600.0, 300.0]), 10.0, 20000.0, pol="v")
    assert v[0] == cli["loss_db"] and v[1] < v[0]
    assert spectra.p528_loss_db(3000.0, 600.0, 10.0, 20000.0, time_percent=95.0, pol="v") > v[0]
    with pytest.raises(spectra.SpectraError, match="lower one"):
        spectra.p528_loss_db(500.0, 15.0, 1000.0, 10.0)


def test_itm_equals_the_cli(relief, terrain_profile_csv):
    cli = cli_json("propagate", "itm", "--profile", terrain_profile_csv, "--freq-mhz", "600",
                   "--h-tx-m", "30", "--h-rx-m", "10", "--time", "90", "--location", "50", "--situation", "50")
    mine = spectra.itm_p2p(relief, 600.0, 30.0, 10.0, time_pct=90.0)
    assert mine == cli["result"]
    v = spectra.itm_p2p_loss_db([relief, relief], 600.0, 30.0, 10.0, time_pct=np.array([90.0, 50.0]))
    assert v[0] == cli["result"]["loss_db"]


def test_itm_area_equals_the_cli():
    cli = cli_json("propagate", "itm", "--area", "--distance-km", "20", "--freq-mhz", "300",
                   "--h-tx-m", "50", "--h-rx-m", "3")
    assert spectra.itm_area_loss_db(20.0, 300.0, 50.0, 3.0) == cli["result"]["loss_db"]


def test_ehata_equals_the_cli(scratch):
    cli = cli_json("propagate", "ehata", "--distance-km", "15", "--step-m", "100", "--freq-mhz", "700",
                   "--h-b-m", "50", "--h-m-m", "1.5")
    flat = spectra.Profile.flat(15.0, 0.1, 0.0)
    assert spectra.ehata(flat, 700.0, 50.0, 1.5) == cli
    v = spectra.ehata_loss_db(flat, np.array([700.0, 1800.0]), 50.0, 1.5)
    assert v[0] == cli["loss_db"] and v[1] > v[0]


def test_p452_equals_the_cli(relief, terrain_profile_csv):
    cli = cli_json("propagate", "p452", "--profile", terrain_profile_csv, "--freq-ghz", "2.4",
                   "--time-pct", "10", "--htx-m", "30", "--hrx-m", "10", "--phi-deg", "42.85")
    mine = spectra.p452(relief, 2.4, 10.0, 30.0, 10.0, phi_deg=42.85)
    assert mine == cli["result"]
    v = spectra.p452_loss_db(relief, np.array([2.4, 5.0]), 10.0, 30.0, 10.0, phi_deg=42.85)
    assert v[0] == cli["result"]["lb_db"] and v[1] != v[0]


def test_p1812_equals_the_cli(relief, terrain_profile_csv):
    cli = cli_json("propagate", "p1812", "--profile", terrain_profile_csv, "--freq-ghz", "0.6",
                   "--time-pct", "50", "--htx-m", "60", "--hrx-m", "10", "--location-pct", "90",
                   "--tx-lat", "42.75", "--tx-lon", "74.55", "--rx-lat", "42.95", "--rx-lon", "74.80")
    ends = (42.75, 74.55, 42.95, 74.80)
    mine = spectra.p1812(relief, 0.6, 50.0, 60.0, 10.0, endpoints=ends, location_pct=90.0)
    assert mine == cli["result"]
    v = spectra.p1812_loss_db([relief] * 3, 0.6, 50.0, 60.0, 10.0, endpoints=ends, location_pct=90.0)
    assert v.tolist() == [cli["result"]["lb_db"]] * 3


def test_vectorised_equals_scalar_whatever_the_order(relief):
    freqs = np.linspace(0.2, 6.0, 64)
    v = spectra.p452_loss_db(relief, freqs, 1.0, 30.0, 10.0, phi_deg=42.85)
    scalar = [spectra.p452(relief, f, 1.0, 30.0, 10.0, phi_deg=42.85)["lb_db"] for f in freqs]
    assert v.tolist() == scalar


def test_refusals_are_errors_not_nan(relief):
    with pytest.raises(spectra.SpectraError, match="element 1"):
        spectra.free_space_loss_db([600.0, 600.0], [1.0, -1.0])
    with pytest.raises(spectra.SpectraError, match="one length"):
        spectra.hata_loss_db([900.0, 900.0], 30.0, 1.5, [1.0, 2.0, 3.0])
    with pytest.raises(spectra.SpectraError, match="phi_deg"):
        spectra.p452(relief, 2.4, 10.0, 30.0, 10.0)
    with pytest.raises(spectra.SpectraError):
        spectra.p452(relief, 90.0, 10.0, 30.0, 10.0, phi_deg=42.0)
    with pytest.raises(spectra.SpectraError):
        spectra.p2108_terrestrial_db(0.1, 2.0, 50.0)
    with pytest.raises(spectra.SpectraError, match="zones"):
        spectra.Profile([0.0, 1.0], [0.0, 0.0], zones=[2, 300])
    with pytest.raises(spectra.SpectraError, match="htg_m"):
        spectra.p452(relief, 2.4, 10.0, 0.0, 10.0, phi_deg=42.0)
    with pytest.raises(spectra.SpectraError, match="h_rx_m"):
        spectra.itm_p2p_loss_db(relief, 600.0, 30.0, [10.0, 20_000.0])
    with pytest.raises(spectra.SpectraError, match="profiles"):
        spectra.itm_p2p_loss_db(3, 600.0, 30.0, 10.0)


def test_arrays_lists_and_numpy_scalars_broadcast_alike(relief):
    a = spectra.free_space_loss_db(np.array([600.0]), 10.0)
    assert isinstance(a, np.ndarray) and a.shape == (1,)
    assert spectra.free_space_loss_db([600.0], 10.0).tolist() == a.tolist()
    assert spectra.free_space_loss_db(np.float64(600.0), 10.0) == a[0]
    assert spectra.free_space_loss_db(np.array(600.0), 10.0) == a[0]
    by_tuple = spectra.itm_p2p_loss_db((relief, relief), 600.0, 30.0, 10.0)
    assert by_tuple.tolist() == spectra.itm_p2p_loss_db([relief, relief], 600.0, 30.0, 10.0).tolist()


def test_p1546_equals_the_cli():
    cli = cli_json("propagate", "p1546", "--freq-mhz", "600", "--distance-km", "20", "--heff-m", "150",
                   "--h-rx-m", "10", "--time-pct", "10", "--sea-km", "5", "--sea", "warm")
    e = spectra.p1546_field_dbuv_m(600.0, 20.0, 150.0, 10.0, time_pct=10.0, sea_km=5.0, sea="warm")
    assert e == cli["field_dbuv_m"]
    lb = spectra.p1546_loss_db(600.0, np.array([20.0, 40.0]), 150.0, 10.0, time_pct=10.0, sea_km=5.0,
                               sea="warm")
    assert lb[0] == cli["loss_db"] and lb[1] > lb[0]
    # Figure 9 at 20 km, h1 = 150 m, read directly; 10 kW adds 10 dB.
    assert spectra.p1546_field_dbuv_m(600.0, 20.0, 150.0, 10.0) == 60.2499
    assert abs(spectra.p1546_field_dbuv_m(600.0, 20.0, 150.0, 10.0, erp_kw=10.0) - 70.2499) < 1e-9
    with pytest.raises(spectra.SpectraError, match="30..=4000 MHz"):
        spectra.p1546_loss_db(5000.0, 20.0, 150.0, 10.0)
    with pytest.raises(spectra.SpectraError, match="rx_area"):
        spectra.p1546_loss_db(600.0, 20.0, 150.0, 10.0, rx_area="forest")
