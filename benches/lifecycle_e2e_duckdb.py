"""The registry's classification as plain DuckDB SQL (for benches/lifecycle_e2e.sh).

Over a copy of a registry after its operator data import: the IMEIs seen in
the 30 days up to DATE (from the monthly day masks), their distinct IMSIs in
that window, whether their TAC is in the TAC table, whether they are
registered and whether they are well formed; the four conditions of the
benchmark's conditions file (duplicate >= 10 IMSIs in 30 days, unknown TAC,
malformed, unregistered and not malformed), each refused past its share of
the IMEIs; and one decision row per match, with its inputs in words, reason,
first-match and block dates, appended to a table. Prints the matches per
condition (to compare with `spectra registry classify`).
Usage: python3 lifecycle_e2e_duckdb.py REGISTRY.duckdb YYYY-MM-DD
"""
import datetime as dt
import os
import sys
import time

import duckdb

path, day = sys.argv[1], dt.date.fromisoformat(sys.argv[2])
PERIOD = 30
first = day - dt.timedelta(days=PERIOD - 1)
# Day-mask bits inside the window, per month (bit d-1 = day d).
masks = {}
d = first
while d <= day:
    m = d.year * 100 + d.month
    masks[m] = masks.get(m, 0) | (1 << (d.day - 1))
    d += dt.timedelta(days=1)
window = " OR ".join(f"(month = {m} AND day_mask & {k} <> 0)" for m, k in masks.items())
clip = "CASE month " + " ".join(f"WHEN {m} THEN day_mask & {k}" for m, k in masks.items()) + " END"
names = ["imei14", "imei15", "imeisv16", "empty", "wrong_length", "hexadecimal", "non_digit",
         "all_zeros", "repeated_digit", "check_digit_mismatch"]
cls_name = "CASE cls " + " ".join(f"WHEN {i} THEN '{n}'" for i, n in enumerate(names)) + " END"

t0 = time.time()
con = duckdb.connect(path)
con.execute(f"SET threads = {os.cpu_count()}")
con.execute(f"""
CREATE OR REPLACE TEMP TABLE ev AS
WITH seen AS (
  SELECT imei, any_value(imei_class) AS cls,
         count(DISTINCT imsi_p) FILTER (WHERE imsi_p <> '') AS imsis
  FROM network_triplets WHERE {window} AND {clip} <> 0
  GROUP BY imei
), k AS (
  SELECT *, cls IN (0, 1, 2) AS wf,
         CASE WHEN cls IN (0, 1, 2) THEN CAST(substr(imei, 1, 14) AS UBIGINT) END AS key
  FROM seen
)
SELECT k.imei, k.cls, k.imsis, k.wf,
       t.tac IS NOT NULL AS tac_known, d.imei_key IS NOT NULL AS registered
FROM k
LEFT JOIN tac t ON t.tac = CAST(k.key // 1000000 AS UINTEGER)
LEFT JOIN devices d ON d.imei_key = k.key
""")
total = con.execute("SELECT count(*) FROM ev").fetchone()[0]
conds = [
    ("duplicate", "The IMEI is used with many different SIM cards", 60, True, 0.1,
     "imsis >= 10", f"imsis || ' distinct IMSIs in {PERIOD} days'"),
    ("unknown_type", "The device's type (TAC) is not in the GSMA database", 30, True, 0.1,
     "wf AND NOT tac_known", "'TAC not in the TAC database'"),
    ("malformed", "The IMEI is not well formed", 0, True, 0.1,
     "NOT wf", f"'IMEI class ' || {cls_name}"),
    ("unregistered", "The device is not registered", 90, False, 1.0,
     "NOT registered AND wf", f"'registered: no; not malformed: IMEI class ' || {cls_name}"),
]
counts = {}
for label, _, _, _, share, where, _ in conds:
    counts[label] = con.execute(f"SELECT count(*) FROM ev WHERE {where}").fetchone()[0]
    if total and counts[label] > share * total:
        sys.exit(f"refused: {label} matches {counts[label]} of {total} IMEIs, more than {share:.0%}")
con.execute("""CREATE TABLE IF NOT EXISTS sql_decisions (imei VARCHAR, condition VARCHAR, event VARCHAR,
  first_matched DATE, block_date DATE, blocking BOOLEAN, inputs VARCHAR, reason VARCHAR)""")
union = " UNION ALL ".join(
    f"SELECT imei, '{label}', 'matched', DATE '{day}', DATE '{day}' + {grace}, {str(blocking).lower()}, "
    f"{inputs}, '{reason.replace(chr(39), chr(39) * 2)}' FROM ev WHERE {where}"
    for label, reason, grace, blocking, _, where, inputs in conds)
con.execute(f"INSERT INTO sql_decisions {union}")
con.close()
print(f"{total} IMEIs; matched " + ", ".join(f"{k} {v}" for k, v in counts.items())
      + f"; {time.time() - t0:.2f} s")
