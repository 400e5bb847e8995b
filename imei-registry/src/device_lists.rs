//! The lists a classification consults besides the network data: stolen
//! device reports (`imei,reported_at,case_reference[,recovered_at]`: a
//! report stands from its date until the device is recovered), the golden
//! list (`imei`: never on the block list) and barred TACs (`tac`). Each
//! import replaces nothing: reports are keyed by IMEI and case, so a later
//! file adds reports and records recoveries; every import is one
//! transaction, audited, and a bad row refuses the whole file with its line.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use duckdb::params;
use imei_core::identity::classify;
use imei_core::operator_data::parse_date;
use imei_core::reader::open_rows;
use imei_core::tac::parse_tac;

use crate::error::RegistryError;
use crate::store::{Registry, audit_on};

/// The tables of the device lists (idempotent).
pub(crate) const DEVICE_LISTS_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS stolen_reports (
    imei_key UBIGINT NOT NULL, reported_at DATE NOT NULL, case_reference VARCHAR NOT NULL, recovered_at DATE,
    PRIMARY KEY (imei_key, case_reference));
CREATE TABLE IF NOT EXISTS golden_list (imei_key UBIGINT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS barred_tacs (tac UINTEGER PRIMARY KEY);
";

/// Which list a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceList {
    /// Stolen device reports.
    Stolen,
    /// IMEIs never to be blocked.
    Golden,
    /// Barred TACs.
    BarredTac,
}

impl DeviceList {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DeviceList::Stolen => "stolen",
            DeviceList::Golden => "golden",
            DeviceList::BarredTac => "barred-tac",
        }
    }
}

/// What a classification needs of the lists on a date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListedSets {
    /// IMEI keys with a report standing on the date.
    pub stolen: BTreeSet<u64>,
    /// Barred TACs.
    pub barred: BTreeSet<u32>,
    /// Golden IMEI keys.
    pub golden: BTreeSet<u64>,
}

enum Row {
    Stolen(u64, NaiveDate, String, Option<NaiveDate>),
    Golden(u64),
    Barred(u32),
}

fn key_of(file: &str, line: u64, text: Option<&str>) -> Result<u64, RegistryError> {
    let t = text.unwrap_or("");
    classify(t).key.ok_or_else(|| {
        RegistryError::input(file, line, "imei", format!("expected an IMEI, found {t:?}"))
    })
}

fn date_field(
    file: &str,
    line: u64,
    field: &str,
    text: Option<&str>,
) -> Result<NaiveDate, RegistryError> {
    let t = text.unwrap_or("");
    parse_date(t).ok_or_else(|| {
        RegistryError::input(
            file,
            line,
            field,
            format!("expected a date YYYY-MM-DD, found {t:?}"),
        )
    })
}

impl Registry {
    /// Imports a list file of `kind` (CSV or Parquet); returns the rows.
    pub fn import_device_list(
        &mut self,
        kind: DeviceList,
        path: &Path,
    ) -> Result<u64, RegistryError> {
        let file = path.display().to_string();
        let cols: &[&str] = match kind {
            DeviceList::Stolen => &["imei", "reported_at", "case_reference", "recovered_at"],
            DeviceList::Golden => &["imei"],
            DeviceList::BarredTac => &["tac"],
        };
        let required: Vec<usize> = match kind {
            DeviceList::Stolen => vec![0, 1, 2],
            _ => vec![0],
        };
        let mut src = open_rows(path, cols, &required, &[0], 65_536)?;
        let mut rows = Vec::new();
        while let Some(batch) = src.next_batch()? {
            for (line, f) in batch {
                let get = |i: usize| {
                    f.get(i)
                        .and_then(|v| v.as_deref())
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                };
                rows.push(match kind {
                    DeviceList::Stolen => {
                        let case = get(2).ok_or_else(|| {
                            RegistryError::input(
                                &file,
                                line,
                                "case_reference",
                                "expected a case reference, found none",
                            )
                        })?;
                        let recovered = match get(3) {
                            None => None,
                            t => Some(date_field(&file, line, "recovered_at", t)?),
                        };
                        Row::Stolen(
                            key_of(&file, line, get(0))?,
                            date_field(&file, line, "reported_at", get(1))?,
                            case.to_string(),
                            recovered,
                        )
                    }
                    DeviceList::Golden => Row::Golden(key_of(&file, line, get(0))?),
                    DeviceList::BarredTac => {
                        let t = get(0).unwrap_or("");
                        Row::Barred(parse_tac(t).ok_or_else(|| {
                            RegistryError::input(
                                &file,
                                line,
                                "tac",
                                format!("expected an 8-digit TAC, found {t:?}"),
                            )
                        })?)
                    }
                });
            }
        }
        let ctx = format!("importing the {} list {file}", kind.name());
        let tx = self
            .conn
            .transaction()
            .map_err(RegistryError::db(ctx.clone()))?;
        for r in &rows {
            match r {
                Row::Stolen(k, at, case, rec) => tx.execute(
                    "INSERT INTO stolen_reports VALUES (?, ?::DATE, ?, ?::DATE) ON CONFLICT (imei_key, case_reference) \
                     DO UPDATE SET recovered_at = coalesce(excluded.recovered_at, stolen_reports.recovered_at)",
                    params![k, at.to_string(), case, rec.map(|d| d.to_string())],
                ),
                Row::Golden(k) => tx.execute("INSERT OR IGNORE INTO golden_list VALUES (?)", params![k]),
                Row::Barred(t) => tx.execute("INSERT OR IGNORE INTO barred_tacs VALUES (?)", params![t]),
            }
            .map_err(RegistryError::db(ctx.clone()))?;
        }
        audit_on(
            &tx,
            &self.actor,
            "import_device_list",
            &format!("{} list {file}: {} rows", kind.name(), rows.len()),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(rows.len() as u64)
    }

    /// The lists as they stand on `date`.
    pub fn listed_sets(&self, date: NaiveDate) -> Result<ListedSets, RegistryError> {
        let ctx = "reading the device lists";
        let keys = |sql: &str, p: &[&dyn duckdb::ToSql]| -> Result<Vec<u64>, RegistryError> {
            let mut st = self.conn.prepare(sql).map_err(RegistryError::db(ctx))?;
            st.query_map(p, |r| r.get(0))
                .map_err(RegistryError::db(ctx))?
                .collect::<Result<_, _>>()
                .map_err(RegistryError::db(ctx))
        };
        let d = date.to_string();
        Ok(ListedSets {
            stolen: keys(
                "SELECT DISTINCT imei_key FROM stolen_reports WHERE reported_at <= ?::DATE \
                 AND (recovered_at IS NULL OR recovered_at > ?::DATE)",
                &[&d, &d],
            )?
            .into_iter()
            .collect(),
            barred: keys("SELECT tac::UBIGINT FROM barred_tacs", &[])?
                .into_iter()
                .filter_map(|t| u32::try_from(t).ok())
                .collect(),
            golden: keys("SELECT imei_key FROM golden_list", &[])?
                .into_iter()
                .collect(),
        })
    }
}
