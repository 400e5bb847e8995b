"""Type stubs of the extension module ``spectra._spectra`` (units in names)."""

import datetime
import os
from typing import Any, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

Floats = Union[float, Sequence[float], npt.NDArray[np.float64]]
Freq = Union[int, str]
Date = Union[str, datetime.date]
PathLike = Union[str, os.PathLike]

class SpectraError(Exception):
    """Raised when Spectra refuses an input; the message is the Rust error's."""

class ArrowTable:
    """Record batches readable by any Arrow consumer (``__arrow_c_stream__``)."""
    column_names: list[str]
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...
    def __len__(self) -> int: ...
    def to_pyarrow(self) -> Any: ...
    def to_polars(self) -> Any: ...

class Table:
    """The national table of frequency allocations."""
    @staticmethod
    def load(path: PathLike) -> "Table": ...
    def __len__(self) -> int: ...
    @property
    def metadata(self) -> dict[str, Any]: ...
    def at(self, freq: Freq, audience: str = "open") -> dict[str, Any]: ...
    def range(self, lower: Freq, upper: Freq, audience: str = "open") -> dict[str, Any]: ...
    def service(self, name: str, primary_only: bool = False, audience: str = "open") -> dict[str, Any]: ...
    def validate(self) -> dict[str, Any]: ...
    def findings(self) -> ArrowTable: ...
    def diff(self, other: "Table", audience: str = "open") -> dict[str, Any]: ...
    def convert(
        self,
        lower: Freq,
        upper: Freq,
        from_category: str,
        to_category: str,
        reference: str,
        authority: str,
        effective_date: Date,
    ) -> dict[str, Any]: ...
    def history(self, audience: str = "open") -> dict[str, Any]: ...
    def as_of(self, day: Date) -> "Table": ...
    def to_arrow(self, audience: str = "open") -> ArrowTable: ...
    def export(self, path: PathLike, audience: str = "open", merged: bool = False) -> None: ...

class Profile:
    """A terrain profile: distances (km), heights (m), optional clutter (m) and zones (1, 2, 3)."""
    def __init__(
        self,
        distances_km: npt.ArrayLike,
        heights_m: npt.ArrayLike,
        clutter_heights_m: Optional[npt.ArrayLike] = None,
        zones: Optional[Sequence[int]] = None,
    ) -> None: ...
    @staticmethod
    def flat(length_km: float, step_km: float, height_m: float = 0.0) -> "Profile": ...
    @staticmethod
    def read_csv(path: PathLike) -> "Profile": ...
    @staticmethod
    def from_terrain(
        start: Tuple[float, float],
        end: Tuple[float, float],
        step_m: float = 90.0,
        dem: Optional[PathLike] = None,
        missing: str = "error",
    ) -> "Profile": ...
    @property
    def distances_km(self) -> npt.NDArray[np.float64]: ...
    @property
    def heights_m(self) -> npt.NDArray[np.float64]: ...
    @property
    def length_km(self) -> float: ...
    @property
    def missing_samples(self) -> int: ...
    def __len__(self) -> int: ...

Profiles = Union[Profile, Sequence[Profile]]

def free_space_loss_db(freq_mhz: Floats, dist_km: Floats) -> Union[float, npt.NDArray[np.float64]]: ...
def hata_loss_db(
    freq_mhz: Floats,
    h_b_m: Floats,
    h_m_m: Floats,
    dist_km: Floats,
    environment: str = "urban",
    city: str = "medium",
    extrapolate: bool = False,
) -> Union[float, npt.NDArray[np.float64]]: ...
def p2108_terrestrial_db(freq_ghz: Floats, dist_km: Floats, percent: Floats) -> Union[float, npt.NDArray[np.float64]]: ...
def p2108_aeronautical_db(freq_ghz: Floats, theta_deg: Floats, percent: Floats) -> Union[float, npt.NDArray[np.float64]]: ...
def p2108_height_gain_db(
    freq_ghz: Floats,
    h_m: Floats,
    clutter_type: int,
    street_width_m: float = 27.0,
    clutter_height_m: Optional[float] = None,
) -> Union[float, npt.NDArray[np.float64]]: ...
def p2109_loss_db(
    freq_ghz: Floats, percent: Floats, building_class: int = 1, theta_deg: Optional[Floats] = None,
) -> Union[float, npt.NDArray[np.float64]]: ...
def p676_terrestrial_db(
    freq_ghz: Floats, dist_km: Floats, pressure_hpa: float = 1013.25, rho_g_m3: float = 7.5,
    temp_c: float = 15.0,
) -> Union[float, npt.NDArray[np.float64]]: ...
def p676_slant_db(
    freq_ghz: Floats, elevation_deg: Floats, station_km: float = 0.0, upper_km: Optional[float] = None,
) -> Union[float, npt.NDArray[np.float64]]: ...
def p528_loss_db(
    freq_mhz: Floats, dist_km: Floats, h1_m: Floats, h2_m: Floats, time_percent: Optional[Floats] = None,
    pol: str = "h",
) -> Union[float, npt.NDArray[np.float64]]: ...
def p1546_field_dbuv_m(
    freq_mhz: Floats, dist_km: Floats, heff_m: Floats, h_rx_m: Floats,
    time_pct: Optional[Floats] = None, location_pct: Optional[Floats] = None, rx_area: str = "rural",
    sea_km: Optional[Floats] = None, sea: str = "cold", h_tx_m: Optional[Floats] = None,
    erp_kw: float = 1.0,
) -> Union[float, npt.NDArray[np.float64]]: ...
def p1546_loss_db(
    freq_mhz: Floats, dist_km: Floats, heff_m: Floats, h_rx_m: Floats,
    time_pct: Optional[Floats] = None, location_pct: Optional[Floats] = None, rx_area: str = "rural",
    sea_km: Optional[Floats] = None, sea: str = "cold", h_tx_m: Optional[Floats] = None,
) -> Union[float, npt.NDArray[np.float64]]: ...
def itm_p2p(
    profile: Profile, freq_mhz: float, h_tx_m: float, h_rx_m: float, *,
    climate: int = 5, n0: float = 301.0, polarization: int = 1, epsilon: float = 15.0,
    sigma: float = 0.005, mdvar: int = 12,
    time_pct: float = 50.0, location_pct: float = 50.0, situation_pct: float = 50.0,
) -> dict[str, Any]: ...
def itm_p2p_loss_db(
    profiles: Profiles, freq_mhz: Floats, h_tx_m: Floats, h_rx_m: Floats, *,
    climate: int = 5, n0: float = 301.0, polarization: int = 1, epsilon: float = 15.0,
    sigma: float = 0.005, mdvar: int = 12,
    time_pct: Optional[Floats] = None, location_pct: Optional[Floats] = None,
    situation_pct: Optional[Floats] = None,
) -> npt.NDArray[np.float64]: ...
def itm_area_loss_db(
    dist_km: Floats, freq_mhz: float, h_tx_m: float, h_rx_m: float, *,
    delta_h_m: float = 90.0, tx_siting: int = 0, rx_siting: int = 0,
    climate: int = 5, n0: float = 301.0, polarization: int = 1, epsilon: float = 15.0,
    sigma: float = 0.005, mdvar: int = 12,
    time_pct: float = 50.0, location_pct: float = 50.0, situation_pct: float = 50.0,
) -> Union[float, npt.NDArray[np.float64]]: ...
def ehata(
    profile: Profile, freq_mhz: float, h_b_m: float, h_m_m: float, *,
    environment: int = 23, winnforum: bool = True, its_testbed: bool = False,
    reliability_pct: Optional[float] = None,
) -> dict[str, Any]: ...
def ehata_loss_db(
    profiles: Profiles, freq_mhz: Floats, h_b_m: Floats, h_m_m: Floats, *,
    environment: int = 23, winnforum: bool = True, its_testbed: bool = False,
    reliability_pct: Optional[float] = None,
) -> npt.NDArray[np.float64]: ...
def p452(
    profile: Profile, freq_ghz: float, time_pct: float, htg_m: float, hrg_m: float, *,
    phi_deg: Optional[float] = None,
    endpoints: Optional[Tuple[float, float, float, float]] = None,
    gt_dbi: float = 0.0, gr_dbi: float = 0.0, polarization: str = "v",
    dct_km: float = 500.0, dcr_km: float = 500.0, pressure_hpa: float = 1013.25,
    temperature_c: float = 15.0, dn: float = 45.0, n0: float = 325.0,
) -> dict[str, Any]: ...
def p452_loss_db(
    profiles: Profiles, freq_ghz: Floats, time_pct: Floats, htg_m: Floats, hrg_m: Floats, *,
    phi_deg: Optional[float] = None,
    endpoints: Optional[Tuple[float, float, float, float]] = None,
    gt_dbi: float = 0.0, gr_dbi: float = 0.0, polarization: str = "v",
    dct_km: float = 500.0, dcr_km: float = 500.0, pressure_hpa: float = 1013.25,
    temperature_c: float = 15.0, dn: float = 45.0, n0: float = 325.0,
) -> npt.NDArray[np.float64]: ...
def p1812(
    profile: Profile, freq_ghz: float, time_pct: float, htg_m: float, hrg_m: float, *,
    phi_deg: Optional[float] = None,
    endpoints: Optional[Tuple[float, float, float, float]] = None,
    polarization: str = "v", location_pct: float = 50.0, sigma_l_db: Optional[float] = None,
    tx_power_kw: float = 1.0, dn: float = 45.0, n0: float = 325.0,
    dct_km: float = 500.0, dcr_km: float = 500.0, attachment4: bool = False,
) -> dict[str, Any]: ...
def p1812_loss_db(
    profiles: Profiles, freq_ghz: Floats, time_pct: Floats, htg_m: Floats, hrg_m: Floats, *,
    phi_deg: Optional[float] = None,
    endpoints: Optional[Tuple[float, float, float, float]] = None,
    polarization: str = "v", location_pct: float = 50.0, sigma_l_db: Optional[float] = None,
    tx_power_kw: float = 1.0, dn: float = 45.0, n0: float = 325.0,
    dct_km: float = 500.0, dcr_km: float = 500.0, attachment4: bool = False,
) -> npt.NDArray[np.float64]: ...

def classify(values: Any, column: Optional[str] = None) -> ArrowTable: ...
def check_digit(body: str) -> int: ...

class Snapshot:
    """An EIR snapshot published by ``spectra registry publish``."""
    @staticmethod
    def open(path: PathLike) -> "Snapshot": ...
    @property
    def meta(self) -> dict[str, Any]: ...
    def __len__(self) -> int: ...
    def info(self, imei: str, date: Optional[Date] = None) -> dict[str, Any]: ...
    def check(self, values: Any, column: Optional[str] = None, date: Optional[Date] = None) -> ArrowTable: ...

class CoverageMap:
    """A coverage map: (rows, cols) float32 grids, north-up, NaN outside the area."""
    @property
    def loss_db(self) -> npt.NDArray[np.float32]: ...
    @property
    def field_strength_dbuv_per_m(self) -> npt.NDArray[np.float32]: ...
    @property
    def rx_power_dbm(self) -> npt.NDArray[np.float32]: ...
    @property
    def geotransform(self) -> Tuple[float, float, float, float, float, float]: ...
    @property
    def crs(self) -> str: ...
    @property
    def shape(self) -> Tuple[int, int]: ...
    @property
    def provenance(self) -> dict[str, str]: ...
    @property
    def summary(self) -> dict[str, Any]: ...
    def cells(self) -> ArrowTable: ...

def coverage(
    site: Tuple[float, float], height_m: float, freq_mhz: float, eirp_dbm: float, *,
    rx_height_m: float = 1.5, rx_gain_dbi: float = 0.0, model: str = "itm",
    radius_km: Optional[float] = None,
    bbox: Optional[Tuple[float, float, float, float]] = None,
    resolution_m: float = 100.0, terrain_step_m: Optional[float] = None,
    dem: Optional[PathLike] = None, missing: str = "sea-level",
    itm_percent: Tuple[float, float, float] = (50.0, 50.0, 50.0),
    itm_exact: bool = False,
    p1812_percent: Tuple[float, float] = (50.0, 50.0),
    p1546_percent: Tuple[float, float] = (50.0, 50.0),
    p1546_area: str = "rural",
    azimuth_deg: float = 0.0, downtilt_deg: float = 0.0,
    pattern: Optional[PathLike] = None, threads: Optional[int] = None,
) -> CoverageMap: ...
