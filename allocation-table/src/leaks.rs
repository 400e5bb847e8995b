//! The leak audit of open publications: does any byte of an output reveal
//! what the open view withheld (see [`crate::publish`])?
//!
//! [`Probes::for_table`] lists what must never appear in an open output of a
//! table: each withheld band as a *pair* of edges (its lower edge followed by
//! its upper edge as the next number, the way every format writes a band),
//! every edge or split edge only withheld material has, the references,
//! authorities and edges of withheld decisions, the ids and texts of
//! withheld footnotes, and the applications of withheld bands. Numbers are
//! searched in every form Spectra writes: Hz integers (`420000000`,
//! `420000000.0`, `4.2e8`) and exact decimals in Hz, kHz, MHz and GHz with or
//! without a space (`420 MHz`, `0.42GHz`). A probe that the open view itself
//! legitimately contains (an edge shared with a published band, an authority
//! that also took a published decision) is left out, so a finding is always a
//! leak. The probes are derived from the table without the filter's code.
//! [`Probes::find`] searches a byte buffer; [`parquet_as_text`] turns a
//! Parquet file (compressed) into searchable text: its key-value metadata
//! and its rows as CSV.

use std::path::Path;

use crate::error::TableError;
use crate::journal::Decision;
use crate::model::{Band, Sensitivity, Table};

/// One thing an open output must not contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// Text (matched as a whole word).
    Text(String),
    /// A frequency in Hz, in any written form.
    Number(u64),
    /// A band `[lower, upper)`: the lower edge followed by the upper edge as
    /// the next number (within a few bytes).
    Pair(u64, u64),
}

/// The probes of a table's open publications, each with why it is secret.
#[derive(Debug, Clone, Default)]
pub struct Probes {
    items: Vec<(Probe, String)>,
}

/// Exact decimal of `hz / div` (`div` a power of ten).
fn decimal(hz: u64, div: u64) -> String {
    let (int, frac) = (hz / div, hz % div);
    if frac == 0 {
        return int.to_string();
    }
    let width = div.ilog10() as usize;
    format!("{int}.{}", format!("{frac:0width$}").trim_end_matches('0'))
}

/// Every written form of a frequency.
pub fn number_forms(hz: u64) -> Vec<String> {
    let mut forms = vec![hz.to_string(), format!("{hz}.0")];
    if hz > 0 {
        let digits = hz.to_string();
        let mantissa = digits.trim_end_matches('0');
        let exp = digits.len() - 1;
        let m = if mantissa.len() > 1 {
            format!("{}.{}", &mantissa[..1], &mantissa[1..])
        } else {
            mantissa.to_owned()
        };
        forms.push(format!("{m}e{exp}"));
        forms.push(format!("{m}E{exp}"));
        forms.push(format!("{m}e+{exp}"));
    }
    for (div, unit) in [
        (1, "Hz"),
        (1_000, "kHz"),
        (1_000_000, "MHz"),
        (1_000_000_000, "GHz"),
    ] {
        let d = decimal(hz, div);
        forms.push(format!("{d} {unit}"));
        forms.push(format!("{d}{unit}"));
    }
    forms
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Start positions of `needle` in `hay` as a whole token: not inside a
/// longer number or word.
fn token_positions(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    let first = needle[0];
    let last = needle[needle.len() - 1];
    let mut out = Vec::new();
    for i in 0..=hay.len() - needle.len() {
        if &hay[i..i + needle.len()] != needle {
            continue;
        }
        let before = i.checked_sub(1).map(|k| hay[k]);
        let after = hay.get(i + needle.len()).copied();
        let after2 = hay.get(i + needle.len() + 1).copied();
        let bad_before = before.is_some_and(|b| {
            (is_word_byte(first) && is_word_byte(b)) || (first.is_ascii_digit() && b == b'.')
        });
        let bad_after = after.is_some_and(|a| {
            (is_word_byte(last) && is_word_byte(a))
                || (last.is_ascii_digit()
                    && a == b'.'
                    && after2.is_some_and(|c| c.is_ascii_digit()))
        });
        if !bad_before && !bad_after {
            out.push(i);
        }
    }
    out
}

/// Bytes between a band's lower edge and its upper edge in any format we
/// write (`420000000,430000000`, `"lower_hz": 420000000,\n  "upper_hz": `).
const PAIR_WINDOW: usize = 32;

fn matches(probe: &Probe, hay: &[u8]) -> bool {
    match probe {
        Probe::Text(t) => !token_positions(hay, t.as_bytes()).is_empty(),
        Probe::Number(n) => number_forms(*n)
            .iter()
            .any(|f| !token_positions(hay, f.as_bytes()).is_empty()),
        Probe::Pair(lo, hi) => {
            let his = number_forms(*hi);
            number_forms(*lo).iter().any(|lf| {
                token_positions(hay, lf.as_bytes()).into_iter().any(|i| {
                    let rest = &hay[i + lf.len()..];
                    let window = &rest[..rest.len().min(PAIR_WINDOW)];
                    window.iter().position(u8::is_ascii_digit).is_some_and(|k| {
                        his.iter().any(|hf| {
                            token_positions(&rest[k..], hf.as_bytes()).first() == Some(&0)
                        })
                    })
                })
            })
        }
    }
}

/// The secret material of a table and what may be published of it.
struct Secret {
    bands: Vec<Band>,
    decisions: Vec<Decision>,
    footnotes: Vec<String>,
    published: Table,
}

impl Secret {
    fn of(table: &Table) -> Secret {
        let is_restricted = |b: &&Band| b.sensitivity == Sensitivity::Restricted;
        let bands: Vec<Band> = table
            .bands()
            .iter()
            .filter(is_restricted)
            .cloned()
            .collect();
        let inside = |f: u64| bands.iter().any(|b| b.lower_hz <= f && f < b.upper_hz);
        let secret_decision = |d: &Decision| {
            bands
                .iter()
                .any(|b| d.lower_hz < b.upper_hz && b.lower_hz < d.upper_hz)
                || d.cleared_overrides.iter().any(|o| inside(o.band_lower_hz))
        };
        let notes = |b: &Band| -> Vec<String> {
            let mut n = b.footnotes.clone();
            n.extend(b.allocations.iter().flat_map(|a| a.footnotes.clone()));
            n
        };
        let public: Vec<Band> = table
            .bands()
            .iter()
            .filter(|b| b.sensitivity == Sensitivity::Public)
            .cloned()
            .collect();
        let public_notes: Vec<String> = public.iter().flat_map(notes).collect();
        let mut footnotes: Vec<String> = bands
            .iter()
            .flat_map(notes)
            .filter(|n| !public_notes.contains(n))
            .collect();
        footnotes.sort();
        footnotes.dedup();
        let mut kept_notes = table.footnotes.clone();
        kept_notes.retain(|id, _| !footnotes.contains(id));
        let mut published = Table::new(table.metadata.clone(), public, kept_notes);
        published.journal.decisions = table
            .journal
            .decisions
            .iter()
            .filter(|d| !secret_decision(d))
            .cloned()
            .collect();
        let decisions = table
            .journal
            .decisions
            .iter()
            .filter(|d| secret_decision(d))
            .cloned()
            .collect();
        Secret {
            bands,
            decisions,
            footnotes,
            published,
        }
    }
}

impl Probes {
    /// The probes for the open publications of `table`. They are derived
    /// from the table independently of [`crate::publish::view`] (an oracle
    /// must not share the code it checks): the restricted bands, the
    /// decisions whose spectrum touches one or which cleared an override
    /// inside one, and the footnotes cited by restricted bands and by no
    /// public band.
    pub fn for_table(table: &Table) -> Probes {
        let secret = Secret::of(table);
        let mut candidates: Vec<(Probe, String)> = Vec::new();
        for b in &secret.bands {
            let what = format!("restricted band {}–{} Hz", b.lower_hz, b.upper_hz);
            candidates.push((Probe::Pair(b.lower_hz, b.upper_hz), what.clone()));
            candidates.push((Probe::Number(b.lower_hz), format!("lower edge of {what}")));
            candidates.push((Probe::Number(b.upper_hz), format!("upper edge of {what}")));
            for app in &b.applications {
                candidates.push((Probe::Text(app.clone()), format!("application of {what}")));
            }
        }
        for d in &secret.decisions {
            let what = format!("withheld decision {}", d.reference);
            candidates.push((
                Probe::Text(d.reference.clone()),
                format!("reference of {what}"),
            ));
            candidates.push((
                Probe::Text(d.authority.clone()),
                format!("authority of {what}"),
            ));
            candidates.push((
                Probe::Pair(d.lower_hz, d.upper_hz),
                format!("range of {what}"),
            ));
            for &e in d
                .split_edges_hz
                .iter()
                .chain([d.lower_hz, d.upper_hz].iter())
            {
                candidates.push((Probe::Number(e), format!("edge of {what}")));
            }
        }
        for id in &secret.footnotes {
            candidates.push((Probe::Text(id.clone()), format!("withheld footnote {id}")));
            if let Some(text) = table.footnotes.get(id) {
                candidates.push((Probe::Text(text.clone()), format!("text of footnote {id}")));
            }
        }
        // What may be published is not a secret.
        let legit = [
            crate::native::to_native_string(&secret.published),
            serde_json::to_string(&secret.published).unwrap_or_default(),
        ];
        let mut items: Vec<(Probe, String)> = Vec::new();
        for (p, why) in candidates {
            let trivial = matches!(&p, Probe::Text(t) if t.trim().is_empty());
            if !trivial
                && !legit.iter().any(|l| matches(&p, l.as_bytes()))
                && !items.iter().any(|(q, _)| *q == p)
            {
                items.push((p, why));
            }
        }
        Probes { items }
    }

    /// The probes and why each is secret.
    pub fn items(&self) -> &[(Probe, String)] {
        &self.items
    }

    /// Descriptions of every probe found in `bytes` (empty: no leak).
    pub fn find(&self, bytes: &[u8]) -> Vec<String> {
        self.items
            .iter()
            .filter(|(p, _)| matches(p, bytes))
            .map(|(p, why)| format!("{why}: found {p:?}"))
            .collect()
    }
}

/// A Parquet file as searchable text: `key=value` lines of its key-value
/// metadata, then its rows as CSV with a header.
pub fn parquet_as_text(path: &Path) -> Result<String, TableError> {
    let mut out = Vec::new();
    for (k, v) in tabular::read_parquet_metadata(path)? {
        out.extend_from_slice(format!("{k}={v}\n").as_bytes());
    }
    let batches = tabular::read_parquet(path)?;
    {
        let mut w = arrow::csv::WriterBuilder::new()
            .with_header(true)
            .build(&mut out);
        for b in &batches {
            w.write(b).map_err(|source| {
                TableError::Export(tabular::TabularError::Arrow {
                    path: path.to_path_buf(),
                    source,
                })
            })?;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn numbers_are_found_in_every_form_and_only_as_whole_numbers() {
        let p = Probe::Number(425_000_000);
        for hay in [
            "x,425000000,y",
            "band\t425 MHz\t",
            "0.425 GHz",
            "0.425GHz",
            "425000 kHz",
            "4.25e8",
            "\"lower_hz\": 425000000.0",
        ] {
            assert!(matches(&p, hay.as_bytes()), "{hay}");
        }
        for hay in [
            "1425000000",
            "425000000.5",
            "1425 MHz",
            "2.425 GHz",
            "42500000",
        ] {
            assert!(!matches(&p, hay.as_bytes()), "{hay}");
        }
    }

    #[test]
    fn pairs_need_the_upper_edge_as_the_next_number() {
        let p = Probe::Pair(420_000_000, 430_000_000);
        assert!(matches(&p, b"7,420000000,430000000,government"));
        assert!(matches(&p, b"band\t420 MHz\t430 MHz\tgovernment"));
        assert!(matches(
            &p,
            b"\"lower_hz\": 420000000,\n      \"upper_hz\": 430000000"
        ));
        assert!(!matches(
            &p,
            b"1,410000000,420000000,joint,,\n2,430000000,432000000"
        ));
        assert!(!matches(
            &p,
            b"420 MHz\tjoint\tpublic\t\nalloc\tp\tFixed with a long tail\t\t-\nband\t430 MHz"
        ));
    }

    #[test]
    fn text_matches_whole_words() {
        assert!(matches(&Probe::Text("KG5".into()), b"footnotes: KG5,5.149"));
        assert!(!matches(&Probe::Text("KG5".into()), b"KG50 and XKG5"));
    }
}
