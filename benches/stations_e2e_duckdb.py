"""Compliance of a station register with the national table as one DuckDB SQL
job (for benches/stations_e2e.sh).

Reads the register CSV, the operators CSV and the table's allocations (the CSV
of `spectra table export --internal`), computes each assignment's occupied band
from its emission designator, joins it to the overlapping bands and their
allocations (service or a broader one) and writes one row per finding to
Parquet (zstd): not_allocated (no allocation over a band, or a part covered by
no band), secondary, straddles_band_edge, category_mismatch, outside_validity,
virtual_operator. Simplified in DuckDB's favour: no "except" qualifiers, no
edition limits, no footnotes, no messages, no per-part ranges.
Usage: python3 stations_e2e_duckdb.py REGISTER.csv OPERATORS.csv BANDS.csv OUT.parquet DATE
"""
import os
import sys

import duckdb

register, operators, bands, out, date = sys.argv[1:6]
# RR Article 1: a service and every broader one (itself included).
PARENT = {
    "land_mobile": "mobile", "maritime_mobile": "mobile", "aeronautical_mobile": "mobile",
    "aeronautical_mobile_r": "aeronautical_mobile", "aeronautical_mobile_or": "aeronautical_mobile",
    "maritime_radionavigation": "radionavigation", "aeronautical_radionavigation": "radionavigation",
    "radionavigation": "radiodetermination", "radiolocation": "radiodetermination",
    "land_mobile_satellite": "mobile_satellite", "maritime_mobile_satellite": "mobile_satellite",
    "aeronautical_mobile_satellite": "mobile_satellite",
}
services = set(PARENT) | set(PARENT.values()) | {
    "fixed", "broadcasting", "amateur", "radio_astronomy", "fixed_satellite", "space_research",
    "earth_exploration_satellite", "meteorological_aids", "meteorological_satellite", "space_operation",
    "radionavigation_satellite", "amateur_satellite", "inter_satellite", "broadcasting_satellite",
}
pairs = []
for s in sorted(services):
    a = s
    while a is not None:
        pairs.append((s, a))
        a = PARENT.get(a)
con = duckdb.connect()
con.execute(f"SET threads = {os.cpu_count()}")
con.execute("CREATE TABLE anc(service VARCHAR, ancestor VARCHAR)")
con.executemany("INSERT INTO anc VALUES (?, ?)", pairs)
sql = f"""
COPY (
  WITH a AS (
    SELECT r.*, substr(r.emission, 1, 4) AS code,
           regexp_extract(substr(r.emission, 1, 4), '[HKMG]') AS u,
           coalesce(r.category, o."user") AS cat, o.kind AS op_kind
    FROM read_csv('{register}', header = true) r
    LEFT JOIN read_csv('{operators}', header = true) o ON o.name = r.operator
  ), occ AS (
    SELECT *, CAST(replace(code, u, '.') AS DOUBLE)
              * CASE u WHEN 'H' THEN 1 WHEN 'K' THEN 1e3 WHEN 'M' THEN 1e6 ELSE 1e9 END AS bw_hz
    FROM a
  ), o AS (
    SELECT *, freq_hz - bw_hz / 2 AS lo, freq_hz + bw_hz / 2 AS hi, lower(replace(service, ' ', '_')) AS svc FROM occ
  ), b AS (
    SELECT DISTINCT band_index, lower_hz, upper_hz, band_category FROM read_csv('{bands}', header = true)
  ), al AS (
    SELECT band_index, service_id, status, category FROM read_csv('{bands}', header = true)
  ), parts AS (
    SELECT o.id, o.svc, o.cat, b.band_index, b.band_category,
           least(o.hi, b.upper_hz) - greatest(o.lo, b.lower_hz) AS overlap
    FROM o JOIN b ON b.lower_hz < o.hi AND o.lo < b.upper_hz
  ), graded AS (
    SELECT p.id, p.band_index, p.cat, p.overlap,
           max(CASE al.status WHEN 'primary' THEN 2 WHEN 'secondary' THEN 1 ELSE 0 END) AS grade,
           any_value(coalesce(al.category, p.band_category)) FILTER (WHERE al.status IS NOT NULL) AS alloc_cat,
           any_value(p.band_category) AS band_cat
    FROM parts p
    LEFT JOIN anc ON anc.service = p.svc
    LEFT JOIN al ON al.band_index = p.band_index AND al.service_id = anc.ancestor
    GROUP BY p.id, p.band_index, p.cat, p.overlap
  ), per AS (
    SELECT id, count(*) AS n_bands, sum(overlap) AS covered FROM parts GROUP BY id
  )
  SELECT id, 'not_allocated' AS kind FROM graded WHERE grade = 0
  UNION ALL SELECT o.id, 'not_allocated' FROM o LEFT JOIN per USING (id) WHERE coalesce(per.covered, 0) < o.bw_hz
  UNION ALL SELECT id, 'secondary' FROM graded WHERE grade = 1
  UNION ALL SELECT id, 'straddles_band_edge' FROM per WHERE n_bands > 1
  UNION ALL SELECT id, 'category_mismatch' FROM graded
    WHERE cat IS NOT NULL AND coalesce(alloc_cat, band_cat) NOT IN ('joint', cat)
  UNION ALL SELECT id, 'outside_validity' FROM o
    WHERE coalesce(status, 'licensed') IN ('licensed', 'planned')
      AND (valid_from > DATE '{date}' OR valid_to < DATE '{date}')
  UNION ALL SELECT id, 'virtual_operator' FROM o
    WHERE op_kind = 'virtual' AND coalesce(direction, 'txrx') IN ('tx', 'txrx')
) TO '{out}' (FORMAT parquet, COMPRESSION zstd)
"""
con.execute(sql)
n = con.execute(f"SELECT count(*), count(DISTINCT id) FROM read_parquet('{out}')").fetchone()
print(f"duckdb: {n[0]} findings on {n[1]} assignments")
