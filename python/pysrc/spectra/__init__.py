"""Spectra from Python.

The national table of frequency allocations, the ITU-R / NTIA propagation
models, IMEI checks and coverage maps of the Spectra engine, computed by its
Rust libraries (the same code as the ``spectra`` command line, so the numbers
are bit-identical) on numpy arrays and Arrow columns.

Units are in the names: ``freq_mhz``, ``dist_km``, ``h_tx_m``, ``loss_db``.

>>> import spectra
>>> round(spectra.free_space_loss_db(600.0, 10.0), 2)
108.01
>>> spectra.check_digit("49015420323751")
8

Contents
--------
Table                       the national table: load, at, range, service,
                            validate, findings, diff, convert, as_of,
                            to_arrow, export
Profile                     a terrain profile (arrays, CSV, flat, terrain)
free_space_loss_db          ITU-R P.525-4
hata_loss_db                Okumura-Hata / COST-231 Hata
p2108_*                     ITU-R P.2108-1 clutter loss (3 methods)
p2109_loss_db               ITU-R P.2109-1 building entry loss
p676_terrestrial_db         ITU-R P.676-13 gaseous attenuation of a path
p676_slant_db               ITU-R P.676-13 gaseous attenuation of a slant path (P.835 atmosphere)
p528_loss_db                ITU-R P.528-5 aeronautical basic transmission loss
p1546_field_dbuv_m,         ITU-R P.1546-6 point-to-area field strength and
  p1546_loss_db             basic transmission loss (land, sea, mixed paths)
itm_p2p, itm_p2p_loss_db    NTIA ITM v1.3 point-to-point (dict / vectorised)
itm_area_loss_db            NTIA ITM v1.3 area mode
ehata, ehata_loss_db        NTIA Extended Hata (dict / vectorised)
p452, p452_loss_db          ITU-R P.452-18 (dict / vectorised)
p1812, p1812_loss_db        ITU-R P.1812-6 (dict / vectorised)
classify, check_digit       IMEI classification over an Arrow column
Snapshot                    an EIR snapshot: bulk check and info
coverage -> CoverageMap     a coverage map as numpy grids + georeference
ArrowTable                  tables returned (Arrow PyCapsule stream)
SpectraError                raised with the Rust error's message
"""

from ._spectra import (
    ArrowTable,
    CoverageMap,
    Profile,
    Snapshot,
    SpectraError,
    Table,
    __version__,
    check_digit,
    classify,
    coverage,
    ehata,
    ehata_loss_db,
    free_space_loss_db,
    hata_loss_db,
    itm_area_loss_db,
    itm_p2p,
    itm_p2p_loss_db,
    p452,
    p452_loss_db,
    p1812,
    p1812_loss_db,
    p2108_aeronautical_db,
    p2108_height_gain_db,
    p2108_terrestrial_db,
    p2109_loss_db,
    p676_terrestrial_db,
    p676_slant_db,
    p528_loss_db,
    p1546_field_dbuv_m,
    p1546_loss_db,
)

__all__ = [
    "ArrowTable",
    "CoverageMap",
    "Profile",
    "Snapshot",
    "SpectraError",
    "Table",
    "__version__",
    "check_digit",
    "classify",
    "coverage",
    "ehata",
    "ehata_loss_db",
    "free_space_loss_db",
    "hata_loss_db",
    "itm_area_loss_db",
    "itm_p2p",
    "itm_p2p_loss_db",
    "p452",
    "p452_loss_db",
    "p1812",
    "p1812_loss_db",
    "p2108_aeronautical_db",
    "p2108_height_gain_db",
    "p2108_terrestrial_db",
    "p2109_loss_db",
    "p676_terrestrial_db",
    "p676_slant_db",
    "p528_loss_db",
    "p1546_field_dbuv_m",
    "p1546_loss_db",
]
