//! The native table format owned by Spectra (`.ntfa`): plain UTF-8 text,
//! one record per line, tab-separated fields, canonical order — so that a
//! table and its decision journal diff cleanly line by line and round-trip
//! exactly (`parse(write(t)) == t` and `write(parse(s)) == s` for canonical
//! `s`).
//!
//! In this example ` | ` stands for a tab:
//!
//! ```text
//! spectra-ntfa | 1
//! meta | country | KG
//! footnote | KG1 | In Kyrgyzstan the band … is used by …
//! band | 432 MHz | 438 MHz | joint | public | 5.138,5.271
//! alloc | p | Amateur |  | -
//! alloc | s | Earth Exploration-Satellite (active) | 5.279A | -
//! app | Amateur radio
//! decision | GKS-2023-04 | 2023-06-01 | State Communications Agency | government | civil | 2500 MHz | 2570 MHz | 2570 MHz
//! ```
//!
//! Records: `meta key value`; `footnote id text`; `band lower upper
//! category|- sensitivity footnotes`; `alloc p|s service footnotes
//! category|-` and `app text` (both belong to the band above); `decision
//! reference date authority from to lower upper split-edges [cleared
//! overrides]`, the last field only when the decision cleared allocation
//! category overrides, as `band-lower:allocation-index:category` items
//! (`430 MHz:1:government`). Frequencies are
//! exact decimals with a unit (`117.975 MHz`); lists are comma-separated;
//! text fields escape `\\`, tab (`\t`) and newline (`\n`). Lines starting
//! with `#` and blank lines are ignored.
//!
//! Reading checks the journal ([`crate::journal::Journal::issues`]): an
//! illegal direction, an effective date earlier than the previous
//! decision's, a blank reference or authority, or a decision over spectrum
//! that no band covers is refused with the file, line and field.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::error::TableError;
use crate::freq::{format_freq_hz, parse_freq_hz};
use crate::journal::{ClearedOverride, Decision};
use crate::model::{Allocation, Band, Category, Metadata, Sensitivity, SourceLine, Status, Table};

/// First line of every native file.
pub const MAGIC: &str = "spectra-ntfa\t1";

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut it = text.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| escape(s))
        .collect::<Vec<_>>()
        .join(",")
}

fn opt_category(c: Option<Category>) -> &'static str {
    c.map_or("-", Category::name)
}

/// Writes a table in the native format (canonical: the same table always
/// gives the same bytes).
pub fn to_native_string(table: &Table) -> String {
    let mut s = String::new();
    let m = &table.metadata;
    let _ = writeln!(s, "{MAGIC}");
    let _ = writeln!(
        s,
        "# Spectra national table of frequency allocations (native format; see allocation_table::native)"
    );
    let _ = writeln!(s, "meta\tcountry\t{}", escape(&m.country));
    let _ = writeln!(s, "meta\tname\t{}", escape(&m.name));
    if let Some(r) = m.itu_region {
        let _ = writeln!(s, "meta\titu_region\t{r}");
    }
    let _ = writeln!(s, "meta\tedition\t{}", escape(&m.edition));
    if let Some(d) = m.effective_date {
        let _ = writeln!(s, "meta\teffective_date\t{d}");
    }
    let _ = writeln!(s, "meta\tsource\t{}", escape(&m.source));
    for (id, text) in &table.footnotes {
        let _ = writeln!(s, "footnote\t{}\t{}", escape(id), escape(text));
    }
    for b in table.bands() {
        let _ = writeln!(
            s,
            "band\t{}\t{}\t{}\t{}\t{}",
            format_freq_hz(b.lower_hz),
            format_freq_hz(b.upper_hz),
            opt_category(b.category),
            b.sensitivity.name(),
            list(&b.footnotes)
        );
        for a in &b.allocations {
            let _ = writeln!(
                s,
                "alloc\t{}\t{}\t{}\t{}",
                a.status.code(),
                escape(&a.service_text),
                list(&a.footnotes),
                opt_category(a.category)
            );
        }
        for app in &b.applications {
            let _ = writeln!(s, "app\t{}", escape(app));
        }
    }
    for d in &table.journal.decisions {
        let edges: Vec<String> = d
            .split_edges_hz
            .iter()
            .map(|&e| format_freq_hz(e))
            .collect();
        let overrides = if d.cleared_overrides.is_empty() {
            String::new()
        } else {
            let items: Vec<String> = d
                .cleared_overrides
                .iter()
                .map(|o| {
                    format!(
                        "{}:{}:{}",
                        format_freq_hz(o.band_lower_hz),
                        o.allocation,
                        o.category.name()
                    )
                })
                .collect();
            format!("\t{}", items.join(","))
        };
        let _ = writeln!(
            s,
            "decision\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}{overrides}",
            escape(&d.reference),
            d.effective_date,
            escape(&d.authority),
            d.from.name(),
            d.to.name(),
            format_freq_hz(d.lower_hz),
            format_freq_hz(d.upper_hz),
            edges.join(",")
        );
    }
    s
}

fn parse_override(item: &str) -> Result<ClearedOverride, String> {
    let mut parts = item.split(':');
    let (Some(lower), Some(index), Some(category), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "expected band-lower:allocation-index:category, found {item:?}"
        ));
    };
    Ok(ClearedOverride {
        band_lower_hz: parse_freq_hz(lower).map_err(|e| e.to_string())?,
        allocation: index
            .parse()
            .map_err(|_| format!("expected an allocation index, found {index:?}"))?,
        category: Category::parse(category)
            .ok_or_else(|| format!("expected government, civil or joint, found {category:?}"))?,
    })
}

/// Parses a native table; `source` names the file in errors.
pub fn from_native_str(text: &str, source: &Path) -> Result<Table, TableError> {
    let mut metadata = Metadata::default();
    let mut footnotes = BTreeMap::new();
    let mut bands: Vec<Band> = Vec::new();
    let mut decisions = Vec::new();
    let mut decision_lines = Vec::new();
    let mut saw_magic = false;
    // A byte-order mark (written by some Windows editors) is not content.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = raw.split('\t').collect();
        let perr = |field: &str, message: String| TableError::Parse {
            path: source.to_path_buf(),
            line,
            field: field.to_owned(),
            message,
        };
        let get = |k: usize, field: &str| -> Result<&str, TableError> {
            f.get(k).copied().ok_or_else(|| {
                perr(
                    field,
                    format!(
                        "expected a `{field}` field (field {}), found {} fields",
                        k + 1,
                        f.len()
                    ),
                )
            })
        };
        let hz = |k: usize, field: &str| -> Result<u64, TableError> {
            let t = get(k, field)?;
            parse_freq_hz(t).map_err(|e| perr(field, e.to_string()))
        };
        let cat = |k: usize, field: &str| -> Result<Option<Category>, TableError> {
            match get(k, field)? {
                "-" | "" => Ok(None),
                t => Category::parse(t).map(Some).ok_or_else(|| {
                    perr(
                        field,
                        format!("expected government, civil, joint or -, found {t:?}"),
                    )
                }),
            }
        };
        let notes = |k: usize| -> Vec<String> {
            f.get(k)
                .map(|t| {
                    t.split(',')
                        .filter(|s| !s.is_empty())
                        .map(unescape)
                        .collect()
                })
                .unwrap_or_default()
        };
        match f[0] {
            "spectra-ntfa" => {
                if get(1, "version")? != "1" {
                    return Err(perr(
                        "version",
                        format!("expected version 1, found {:?}", f.get(1)),
                    ));
                }
                saw_magic = true;
            }
            _ if !saw_magic => {
                return Err(perr(
                    "header",
                    format!("expected the first line {MAGIC:?}, found {raw:?}"),
                ));
            }
            "meta" => {
                let value = unescape(f.get(2).copied().unwrap_or(""));
                match get(1, "key")? {
                    "country" => metadata.country = value,
                    "name" => metadata.name = value,
                    "itu_region" => {
                        metadata.itu_region = Some(value.parse().map_err(|_| {
                            perr("itu_region", format!("expected 1, 2 or 3, found {value:?}"))
                        })?)
                    }
                    "edition" => metadata.edition = value,
                    "effective_date" => {
                        metadata.effective_date =
                            Some(parse_date(&value).map_err(|m| perr("effective_date", m))?)
                    }
                    "source" => metadata.source = value,
                    other => {
                        return Err(perr(
                            "key",
                            format!("expected a known meta key, found {other:?}"),
                        ));
                    }
                }
            }
            "footnote" => {
                footnotes.insert(
                    unescape(get(1, "id")?),
                    unescape(f.get(2).copied().unwrap_or("")),
                );
            }
            "band" => {
                let mut b = Band::new(hz(1, "lower")?, hz(2, "upper")?);
                b.category = cat(3, "category")?;
                let sens = get(4, "sensitivity")?;
                b.sensitivity = Sensitivity::parse(sens).ok_or_else(|| {
                    perr(
                        "sensitivity",
                        format!("expected public or restricted, found {sens:?}"),
                    )
                })?;
                b.footnotes = notes(5);
                b.line = SourceLine(line);
                bands.push(b);
            }
            "alloc" | "app" => {
                let Some(b) = bands.last_mut() else {
                    return Err(perr(
                        f[0],
                        "expected a `band` line before this line".to_owned(),
                    ));
                };
                if f[0] == "app" {
                    b.applications.push(unescape(get(1, "text")?));
                    continue;
                }
                let status = match get(1, "status")? {
                    "p" => Status::Primary,
                    "s" => Status::Secondary,
                    t => return Err(perr("status", format!("expected p or s, found {t:?}"))),
                };
                let mut a = Allocation::new(unescape(get(2, "service")?), status);
                a.footnotes = notes(3);
                a.category = match f.get(4) {
                    Some(_) => cat(4, "category")?,
                    None => None,
                };
                a.line = SourceLine(line);
                b.allocations.push(a);
            }
            "decision" => {
                let date_text = get(2, "date")?;
                let from = cat(4, "from")?
                    .ok_or_else(|| perr("from", "expected a category, found -".into()))?;
                let to = cat(5, "to")?
                    .ok_or_else(|| perr("to", "expected a category, found -".into()))?;
                let split_edges_hz = match f.get(8) {
                    Some(t) if !t.is_empty() => t
                        .split(',')
                        .map(|e| parse_freq_hz(e).map_err(|x| perr("split_edges", x.to_string())))
                        .collect::<Result<_, _>>()?,
                    _ => Vec::new(),
                };
                let cleared_overrides = match f.get(9) {
                    Some(t) if !t.is_empty() => t
                        .split(',')
                        .map(|o| parse_override(o).map_err(|m| perr("cleared_overrides", m)))
                        .collect::<Result<_, _>>()?,
                    _ => Vec::new(),
                };
                decision_lines.push(line);
                decisions.push(Decision {
                    reference: unescape(get(1, "reference")?),
                    effective_date: parse_date(date_text).map_err(|m| perr("date", m))?,
                    authority: unescape(get(3, "authority")?),
                    from,
                    to,
                    lower_hz: hz(6, "lower")?,
                    upper_hz: hz(7, "upper")?,
                    split_edges_hz,
                    cleared_overrides,
                });
            }
            other => {
                return Err(perr(
                    "record",
                    format!(
                        "expected meta, footnote, band, alloc, app or decision, found {other:?}"
                    ),
                ));
            }
        }
    }
    if !saw_magic {
        return Err(TableError::Parse {
            path: source.to_path_buf(),
            line: 1,
            field: "header".into(),
            message: format!("expected the first line {MAGIC:?}, found an empty file"),
        });
    }
    let mut t = Table::new(metadata, bands, footnotes);
    t.journal.decisions = decisions;
    if let Some(issue) = t.journal_issues().into_iter().next() {
        return Err(TableError::Parse {
            path: source.to_path_buf(),
            line: decision_lines.get(issue.index).copied().unwrap_or(0),
            field: issue.field.to_owned(),
            message: issue.message,
        });
    }
    Ok(t)
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("expected a date YYYY-MM-DD, found {text:?}"))
}

/// Reads a native table file.
pub fn read_native(path: &Path) -> Result<Table, TableError> {
    let text = std::fs::read_to_string(path).map_err(|source| TableError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    from_native_str(&text, path)
}

/// Writes a native table file atomically.
pub fn write_native(table: &Table, path: &Path) -> Result<(), TableError> {
    let mut f = tabular::AtomicFile::create(path)?;
    std::io::Write::write_all(&mut f, to_native_string(table).as_bytes()).map_err(|source| {
        TableError::Io {
            path: path.to_path_buf(),
            source,
        }
    })?;
    f.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        for s in [
            "plain",
            "tab\there",
            "new\nline",
            "back\\slash\\t",
            "comma, list",
        ] {
            assert_eq!(unescape(&escape(s)), s);
        }
    }

    #[test]
    fn errors_name_line_and_field() {
        let text = "spectra-ntfa\t1\nband\t1 MHz\t2 MHz\tmilitary\tpublic\t\n";
        let e = from_native_str(text, Path::new("t.ntfa"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.ntfa:2"), "{e}");
        assert!(e.contains("category"), "{e}");
        assert!(e.contains("military"), "{e}");
        let e = from_native_str("band\t1\t2\t-\tpublic\n", Path::new("x"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected the first line"), "{e}");
        let e = from_native_str("spectra-ntfa\t1\nalloc\tp\tFixed\t\t-\n", Path::new("x"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("band"), "{e}");
    }

    const HEAD: &str =
        "spectra-ntfa\t1\nband\t1 MHz\t2 MHz\tgovernment\tpublic\t\nalloc\tp\tFixed\t\t-\n";

    fn journal_error(decisions: &str) -> String {
        from_native_str(&format!("{HEAD}{decisions}"), Path::new("j.ntfa"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn illegal_journals_are_refused_with_file_line_and_field() {
        let ok = "decision\tA\t2020-01-01\tAgency\tgovernment\tcivil\t1 MHz\t1.5 MHz\t1.5 MHz\n";
        let e = journal_error(&format!(
            "{ok}decision\tB\t2021-01-01\tAgency\tcivil\tgovernment\t1 MHz\t2 MHz\t\n"
        ));
        assert!(e.starts_with("j.ntfa:5: field `from`"), "{e}");
        assert!(e.contains("not a conversion"), "{e}");
        let e = journal_error(&format!(
            "{ok}decision\tB\t2019-12-31\tAgency\tgovernment\tjoint\t1 MHz\t2 MHz\t\n"
        ));
        assert!(e.starts_with("j.ntfa:5: field `date`"), "{e}");
        let e =
            journal_error("decision\tB\t2019-12-31\tAgency\tgovernment\tjoint\t1 MHz\t3 MHz\t\n");
        assert!(e.starts_with("j.ntfa:4: field `lower`"), "{e}");
        assert!(e.contains("2 MHz – 3 MHz"), "{e}");
        let e = journal_error("decision\tB\t2019-12-31\t \tgovernment\tjoint\t1 MHz\t2 MHz\t\n");
        assert!(e.starts_with("j.ntfa:4: field `authority`"), "{e}");
        let e = journal_error(
            "decision\tB\t2019-12-31\tA\tgovernment\tjoint\t1 MHz\t2 MHz\t\t1 MHz:x:civil\n",
        );
        assert!(e.starts_with("j.ntfa:4: field `cleared_overrides`"), "{e}");
        assert!(from_native_str(&format!("{HEAD}{ok}"), Path::new("j.ntfa")).is_ok());
    }

    #[test]
    fn cleared_overrides_round_trip_in_the_decision_line() {
        let text = format!(
            "{HEAD}decision\tA\t2020-01-01\tAgency\tgovernment\tcivil\t1 MHz\t2 MHz\t\t1 MHz:0:government\n"
        );
        let t = from_native_str(&text, Path::new("m")).unwrap();
        assert_eq!(t.journal.decisions[0].cleared_overrides.len(), 1);
        let again = to_native_string(&t);
        assert!(again.ends_with("\t\t1 MHz:0:government\n"), "{again}");
        assert_eq!(from_native_str(&again, Path::new("m")).unwrap(), t);
    }
}
