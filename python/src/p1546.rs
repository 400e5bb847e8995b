//! ITU-R P.1546-6 point-to-area field strength and loss, vectorised over
//! numpy arrays (broadcast), bit-identical to `spectra propagate p1546
//! --distance-km … --heff-m … --json`.

use pyo3::prelude::*;
use spectrum_core::p1546::{P1546Input, P1546Result, RxArea, Zone, mixed_zones, p1546};

use crate::convert::Numbers;
use crate::errors::refused;
use crate::vectorised::{mhz, run};

/// The arguments every element shares.
struct Shared {
    rx_area: RxArea,
    sea: Zone,
    erp_kw: f64,
}

fn shared(rx_area: &str, sea: &str, erp_kw: f64) -> PyResult<Shared> {
    let rx_area = RxArea::from_name(rx_area).ok_or_else(|| {
        refused(format!(
            "rx_area: expected rural, suburban, urban, dense-urban or sea, found {rx_area:?}"
        ))
    })?;
    let sea = match sea.to_ascii_lowercase().as_str() {
        "cold" => Zone::ColdSea,
        "warm" => Zone::WarmSea,
        other => {
            return Err(refused(format!(
                "sea: expected cold or warm, found {other:?}"
            )));
        }
    };
    Ok(Shared {
        rx_area,
        sea,
        erp_kw,
    })
}

#[allow(clippy::too_many_arguments)]
fn vectorised<'py>(
    freq_mhz: &Bound<'py, PyAny>,
    dist_km: &Bound<'py, PyAny>,
    heff_m: &Bound<'py, PyAny>,
    h_rx_m: &Bound<'py, PyAny>,
    time_pct: Option<&Bound<'py, PyAny>>,
    location_pct: Option<&Bound<'py, PyAny>>,
    sea_km: Option<&Bound<'py, PyAny>>,
    h_tx_m: Option<&Bound<'py, PyAny>>,
    s: Shared,
    pick: fn(&P1546Result) -> f64,
) -> PyResult<Bound<'py, PyAny>> {
    let or = |v: Option<&Bound<'py, PyAny>>, name: &str, default: f64| {
        v.map_or(Ok(Numbers::Scalar(default)), |v| Numbers::read(v, name))
    };
    let f = Numbers::read(freq_mhz, "freq_mhz")?;
    let d = Numbers::read(dist_km, "dist_km")?;
    let he = Numbers::read(heff_m, "heff_m")?;
    let h2 = Numbers::read(h_rx_m, "h_rx_m")?;
    let t = or(time_pct, "time_pct", 50.0)?;
    let q = or(location_pct, "location_pct", 50.0)?;
    let sk = or(sea_km, "sea_km", 0.0)?;
    let ha = or(h_tx_m, "h_tx_m", f64::NAN)?;
    let args = [
        ("freq_mhz", &f),
        ("dist_km", &d),
        ("heff_m", &he),
        ("h_rx_m", &h2),
        ("time_pct", &t),
        ("location_pct", &q),
        ("sea_km", &sk),
        ("h_tx_m", &ha),
    ];
    run(freq_mhz.py(), &args, |i| {
        let (dist, sea) = (d.at(i), sk.at(i));
        let zones = mixed_zones(dist, sea, s.sea).map_err(|e| format!("sea_km: {e}"))?;
        let mut input =
            P1546Input::new(mhz(f.at(i))?, t.at(i), zones, he.at(i), h2.at(i), s.rx_area);
        input.location_pct = q.at(i);
        input.ha_m = Some(ha.at(i)).filter(|h| !h.is_nan());
        input.erp_kw = s.erp_kw;
        p1546(&input).map(|r| pick(&r)).map_err(|e| e.to_string())
    })
}

/// ITU-R P.1546-6 field strength, dB(µV/m), for `erp_kw` kW e.r.p. over a
/// path of `dist_km` (of which `sea_km` is `sea` sea) from a transmitter of
/// effective height `heff_m` to a receiver `h_rx_m` above ground in
/// `rx_area`, exceeded at `location_pct` % of locations for `time_pct` % of
/// time; `h_tx_m` (the mast height) for paths shorter than 15 km without
/// terrain and below 1 km. Every numeric argument but `erp_kw` may be an array.
#[pyfunction]
#[pyo3(signature = (freq_mhz, dist_km, heff_m, h_rx_m, time_pct=None, location_pct=None, rx_area="rural", sea_km=None, sea="cold", h_tx_m=None, erp_kw=1.0))]
#[allow(clippy::too_many_arguments)]
pub fn p1546_field_dbuv_m<'py>(
    freq_mhz: &Bound<'py, PyAny>,
    dist_km: &Bound<'py, PyAny>,
    heff_m: &Bound<'py, PyAny>,
    h_rx_m: &Bound<'py, PyAny>,
    time_pct: Option<&Bound<'py, PyAny>>,
    location_pct: Option<&Bound<'py, PyAny>>,
    rx_area: &str,
    sea_km: Option<&Bound<'py, PyAny>>,
    sea: &str,
    h_tx_m: Option<&Bound<'py, PyAny>>,
    erp_kw: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let s = shared(rx_area, sea, erp_kw)?;
    vectorised(
        freq_mhz,
        dist_km,
        heff_m,
        h_rx_m,
        time_pct,
        location_pct,
        sea_km,
        h_tx_m,
        s,
        |r| r.field_dbuv_m,
    )
}

/// ITU-R P.1546-6 basic transmission loss, dB (§17), with the arguments of
/// [`p1546_field_dbuv_m`] (the loss does not depend on the e.r.p.).
#[pyfunction]
#[pyo3(signature = (freq_mhz, dist_km, heff_m, h_rx_m, time_pct=None, location_pct=None, rx_area="rural", sea_km=None, sea="cold", h_tx_m=None))]
#[allow(clippy::too_many_arguments)]
pub fn p1546_loss_db<'py>(
    freq_mhz: &Bound<'py, PyAny>,
    dist_km: &Bound<'py, PyAny>,
    heff_m: &Bound<'py, PyAny>,
    h_rx_m: &Bound<'py, PyAny>,
    time_pct: Option<&Bound<'py, PyAny>>,
    location_pct: Option<&Bound<'py, PyAny>>,
    rx_area: &str,
    sea_km: Option<&Bound<'py, PyAny>>,
    sea: &str,
    h_tx_m: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let s = shared(rx_area, sea, 1.0)?;
    vectorised(
        freq_mhz,
        dist_km,
        heff_m,
        h_rx_m,
        time_pct,
        location_pct,
        sea_km,
        h_tx_m,
        s,
        |r| r.loss_db,
    )
}
