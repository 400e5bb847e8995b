//! TAC database: type allocation code → manufacturer, model and the other
//! fields of the source. Two sources are read: the GSMA TAC database export
//! (pipe-separated, with its header line; GSMA TS.06 fields such as
//! `TAC|Marketing Name|Manufacturer|…|Model Name|…`) and the Osmocom TAC CSV
//! (one licence line, then `tac,name,name,contributor,comment,gsmarena,gsmarena,aka`).
//! Columns are mapped by header name; unknown columns are kept as extra fields.
//!
//! Both are text files, read as text (never type-inferred), with a leading
//! UTF-8 byte order mark stripped. A TAC is 8 digits; a TAC of 1–7 digits is
//! read as left-padded with zeros, because the published Osmocom file itself
//! has 780 TACs that lost their leading zeros (e.g. Apple's `1130000` for
//! `01130000`). Verdict files and `imei info` show TACs as 8-digit text.

use std::collections::BTreeMap;

use crate::fasthash::FastMap;
use std::io::Read;
use std::path::Path;

use crate::error::ImeiError;

/// One TAC record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TacRecord {
    /// The 8-digit TAC.
    pub tac: u32,
    /// Manufacturer (brand) name.
    pub manufacturer: String,
    /// Model (marketing) name.
    pub model: String,
    /// Which file format the record came from (`gsma`, `osmocom`, `registry`).
    pub source: String,
    /// Other fields of the source, by header name.
    pub extra: BTreeMap<String, String>,
}

impl TacRecord {
    /// `Manufacturer Model`, for display.
    pub fn label(&self) -> String {
        match (self.manufacturer.is_empty(), self.model.is_empty()) {
            (false, false) => format!("{} {}", self.manufacturer, self.model),
            (false, true) => self.manufacturer.clone(),
            _ => self.model.clone(),
        }
    }
}

/// An in-memory TAC database.
#[derive(Debug, Clone, Default)]
pub struct TacDb {
    records: Vec<TacRecord>,
    by_tac: FastMap<u32, usize>,
}

/// Recognised input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TacFormat {
    /// GSMA export, pipe-separated with header.
    Gsma,
    /// Osmocom CSV: licence line, header, rows.
    Osmocom,
}

impl TacDb {
    /// An empty database.
    pub fn new() -> TacDb {
        TacDb::default()
    }

    /// Number of TACs.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Looks a TAC up.
    #[inline]
    pub fn get(&self, tac: u32) -> Option<&TacRecord> {
        self.by_tac.get(&tac).and_then(|&i| self.records.get(i))
    }

    /// All records, sorted by TAC.
    pub fn records(&self) -> &[TacRecord] {
        &self.records
    }

    /// Builds a database from records; a later record for the same TAC wins.
    pub fn from_records(records: impl IntoIterator<Item = TacRecord>) -> TacDb {
        let mut map: BTreeMap<u32, TacRecord> = BTreeMap::new();
        for r in records {
            map.insert(r.tac, r);
        }
        let records: Vec<TacRecord> = map.into_values().collect();
        let by_tac = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.tac, i))
            .collect();
        TacDb { records, by_tac }
    }

    /// Reads a file, detecting the format from its first line (a `|` → GSMA).
    pub fn read_path(path: &Path) -> Result<TacDb, ImeiError> {
        let raw = std::fs::read(path).map_err(|e| ImeiError::io(path, e))?;
        // A leading UTF-8 byte order mark is not part of the first field.
        let bytes = raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&raw);
        let first = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let format = if first.contains(&b'|') {
            TacFormat::Gsma
        } else {
            TacFormat::Osmocom
        };
        TacDb::read(bytes, format, &path.display().to_string())
    }

    /// Reads a source in the given format; `name` names it in errors.
    pub fn read(reader: impl Read, format: TacFormat, name: &str) -> Result<TacDb, ImeiError> {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(if format == TacFormat::Gsma {
                b'|'
            } else {
                b','
            })
            .has_headers(false)
            .flexible(true)
            .quoting(format == TacFormat::Osmocom)
            .from_reader(reader);
        let mut rows = rdr.byte_records();
        let is_header = |r: &csv::ByteRecord| {
            r.iter().any(|f| {
                String::from_utf8_lossy(f)
                    .trim()
                    .eq_ignore_ascii_case("tac")
            })
        };
        let mut next_header = |line: u64, missing: &str| match rows.next() {
            Some(Ok(h)) => Ok(h),
            Some(Err(e)) => Err(ImeiError::input(name, line, "header", e.to_string())),
            None => Err(ImeiError::input(name, line, "header", missing)),
        };
        let mut header_line = 1u64;
        let mut header = next_header(header_line, "file ends before the header")?;
        // Osmocom files start with a licence line; a copy without it starts
        // with the header, which is taken as it is.
        if format == TacFormat::Osmocom && !is_header(&header) {
            header_line = 2;
            header = next_header(
                header_line,
                "file ends before the header (expected a licence line, then a header with a `tac` column)",
            )?;
        }
        let names: Vec<String> = header
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        let find = |cands: &[&str]| {
            names
                .iter()
                .position(|n| cands.iter().any(|c| n.eq_ignore_ascii_case(c)))
        };
        let tac_col = find(&["tac"]).ok_or_else(|| {
            ImeiError::input(
                name,
                header_line,
                "header",
                format!(
                    "expected a header with a `tac` column{}, found {names:?}",
                    if format == TacFormat::Osmocom {
                        " (on line 1, or on line 2 after the licence line)"
                    } else {
                        ""
                    }
                ),
            )
        })?;
        // Osmocom has two `name` columns: manufacturer then model.
        let (man_col, model_col) = match format {
            TacFormat::Osmocom => {
                let mut it = names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.eq_ignore_ascii_case("name"))
                    .map(|(i, _)| i);
                (it.next(), it.next())
            }
            TacFormat::Gsma => (
                find(&["Manufacturer", "Brand Name"]),
                find(&["Model Name"]).or_else(|| find(&["Marketing Name"])),
            ),
        };
        let src = match format {
            TacFormat::Gsma => "gsma",
            TacFormat::Osmocom => "osmocom",
        };
        let mut out = Vec::new();
        for (i, row) in rows.enumerate() {
            let line = header_line + 1 + i as u64;
            let row = row.map_err(|e| ImeiError::input(name, line, "row", e.to_string()))?;
            let field = |c: Option<usize>| {
                c.and_then(|c| row.get(c))
                    .map(|f| String::from_utf8_lossy(f).trim().to_string())
                    .unwrap_or_default()
            };
            let tac_text = field(Some(tac_col));
            if tac_text.is_empty() && row.len() <= 1 {
                continue; // blank line
            }
            let tac = parse_tac(&tac_text).ok_or_else(|| {
                ImeiError::input(
                    name,
                    line,
                    "tac",
                    format!("expected 8 digits, found {tac_text:?}"),
                )
            })?;
            let mut extra = BTreeMap::new();
            for (c, n) in names.iter().enumerate() {
                if c == tac_col || Some(c) == man_col || Some(c) == model_col {
                    continue;
                }
                let v = field(Some(c));
                if !v.is_empty() {
                    let mut key = n.to_string();
                    while extra.contains_key(&key) {
                        key.push('_');
                    }
                    extra.insert(key, v);
                }
            }
            out.push(TacRecord {
                tac,
                manufacturer: field(man_col),
                model: field(model_col),
                source: src.to_string(),
                extra,
            });
        }
        Ok(TacDb::from_records(out))
    }
}

/// Parses an 8-digit TAC (leading zeros may have been lost: 1–8 digits accepted).
pub fn parse_tac(s: &str) -> Option<u32> {
    let t = s.trim();
    if t.is_empty() || t.len() > 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsma_pipe_export() {
        let text = "TAC|Marketing Name|Manufacturer|Bands|Model Name|Device Type\n\
                    35332811|iPhone 7|Apple Inc|GSM 900|A1778|Smartphone\n\
                    01234567|X1|Acme|LTE||Modem\n";
        let db = TacDb::read(text.as_bytes(), TacFormat::Gsma, "t").unwrap();
        assert_eq!(db.len(), 2);
        let r = db.get(35_332_811).unwrap();
        assert_eq!(
            (r.manufacturer.as_str(), r.model.as_str()),
            ("Apple Inc", "A1778")
        );
        assert_eq!(
            r.extra.get("Marketing Name").map(String::as_str),
            Some("iPhone 7")
        );
        assert_eq!(db.get(1_234_567).unwrap().label(), "Acme");
    }

    #[test]
    fn bad_tac_names_line() {
        let text = "lic\ntac,name,name\n1234567x,A,B\n";
        let err = TacDb::read(text.as_bytes(), TacFormat::Osmocom, "f.csv")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("f.csv") && err.contains("line 3") && err.contains("tac"),
            "{err}"
        );
    }

    /// Regression: an Osmocom copy without its licence line took the first
    /// data row for the header ("no TAC column in [35123891, …]").
    #[test]
    fn osmocom_without_its_licence_line_reads_the_header_on_line_1() {
        let text = "tac,name,name\n35123891,Acme,One\n";
        let db = TacDb::read(text.as_bytes(), TacFormat::Osmocom, "o.csv").unwrap();
        assert_eq!(db.get(35_123_891).map(|r| r.model.as_str()), Some("One"));
        let err = TacDb::read(
            "licence\nx,y\n1,2\n".as_bytes(),
            TacFormat::Osmocom,
            "o.csv",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("line 2") && err.contains("licence line"),
            "{err}"
        );
    }
}
