//! Import of the EarthFrequencies / EFIS-style TSV layout
//! (`allocations.tsv`, `metadata.tsv`, optional `footnotes.tsv`, and the ITU
//! footnotes in a sibling `itu/footnotes.tsv`).
//!
//! Columns are mapped by header name (their order differs between tables,
//! and one file spells `region` as `legion`); names are trimmed; status comes
//! from the `category` column (`p`/`s`) or, in the older files without it,
//! from the case of the service (UPPER CASE = primary). The US `activity`
//! column (Federal / Non-Federal) maps to categories of use: federal only →
//! government, non-federal only → civil, both → joint. Messy rows load and
//! are reported by validation; only unreadable files are errors.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::error::TableError;
use crate::model::{Allocation, Band, Category, Metadata, SourceLine, Status, Table};
use crate::validate::RawIssue;

/// A table read from TSV, with the row-level problems seen while reading
/// (duplicated rows), which validation reports.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The table.
    pub table: Table,
    /// Problems seen in rows that the model cannot hold (e.g. duplicates).
    pub issues: Vec<RawIssue>,
}

fn read_file(path: &Path) -> Result<String, TableError> {
    read_lossy(path).map(|(text, _)| text)
}

/// Reads a text file without a byte-order mark; bytes that are not UTF-8
/// (a Latin-1 `é`) are decoded as U+FFFD and their lines (1-based) returned,
/// so messy data loads and is reported instead of refused.
fn read_lossy(path: &Path) -> Result<(String, Vec<usize>), TableError> {
    let bytes = std::fs::read(path).map_err(|source| TableError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), Vec::new())),
        Err(_) => {
            let bad = bytes
                .split(|&b| b == b'\n')
                .enumerate()
                .filter(|(_, l)| std::str::from_utf8(l).is_err())
                .map(|(i, _)| i + 1)
                .collect();
            Ok((String::from_utf8_lossy(bytes).into_owned(), bad))
        }
    }
}

/// Splits a footnote list (`5.53,5.54`, `5.54, 5.53`, `5.53  5.54`).
pub fn split_footnotes(text: &str) -> Vec<String> {
    text.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads a name/value TSV (metadata) into a map.
fn read_key_values(path: &Path) -> Result<BTreeMap<String, String>, TableError> {
    let text = read_file(path)?;
    Ok(text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.splitn(2, '\t');
            let k = it.next()?.trim();
            let v = it.next().unwrap_or("").trim();
            (!k.is_empty()).then(|| (k.to_owned(), v.to_owned()))
        })
        .collect())
}

/// Reads a `ref<TAB>description` footnote file.
pub fn read_footnotes(path: &Path) -> Result<BTreeMap<String, String>, TableError> {
    let text = read_file(path)?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 && line.to_ascii_lowercase().starts_with("ref") {
            continue;
        }
        let mut it = line.splitn(2, '\t');
        let id = it.next().unwrap_or("").trim();
        if id.is_empty() {
            continue;
        }
        out.insert(id.to_owned(), it.next().unwrap_or("").trim().to_owned());
    }
    Ok(out)
}

/// Finds `itu/footnotes.tsv` beside the table directory or up to two levels up.
fn find_itu_footnotes(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .skip(1)
        .take(3)
        .map(|a| a.join("itu").join("footnotes.tsv"))
        .find(|p| p.is_file())
}

struct Columns {
    lower: usize,
    upper: usize,
    service: usize,
    category: Option<usize>,
    footnotes: Option<usize>,
    activity: Option<usize>,
    applications: Option<usize>,
}

fn map_columns(header: &str, path: &Path) -> Result<Columns, TableError> {
    let names: Vec<String> = header
        .split('\t')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let find = |want: &[&str]| names.iter().position(|n| want.contains(&n.as_str()));
    let need = |want: &[&str], label: &str| {
        find(want).ok_or_else(|| TableError::Parse {
            path: path.to_path_buf(),
            line: 1,
            field: label.to_owned(),
            message: format!(
                "expected a `{label}` column in the header, found {:?}",
                names
            ),
        })
    };
    // `sub-table` holds the activity in the US per-side files.
    let activity = find(&["activity"]).or_else(|| find(&["sub-table"]));
    Ok(Columns {
        lower: need(&["lower_frequency", "lower_hz", "lower"], "lower_frequency")?,
        upper: need(&["upper_frequency", "upper_hz", "upper"], "upper_frequency")?,
        service: need(&["service"], "service")?,
        category: find(&["category", "status"]),
        footnotes: find(&["footnotes"]),
        activity,
        applications: find(&["applications"]),
    })
}

fn is_upper_case(text: &str) -> bool {
    text.chars().any(|c| c.is_alphabetic()) && !text.chars().any(|c| c.is_lowercase())
}

/// Reads a table directory in the EarthFrequencies layout.
pub fn import_dir(dir: &Path) -> Result<Imported, TableError> {
    let alloc_path = dir.join("allocations.tsv");
    let (text, bad_lines) = read_lossy(&alloc_path)?;
    let meta_path = dir.join("metadata.tsv");
    let meta = if meta_path.is_file() {
        read_key_values(&meta_path)?
    } else {
        BTreeMap::new()
    };
    let mut footnotes = BTreeMap::new();
    if let Some(p) = find_itu_footnotes(dir) {
        footnotes.extend(read_footnotes(&p)?);
    }
    let own = dir.join("footnotes.tsv");
    if own.is_file() {
        footnotes.extend(read_footnotes(&own)?);
    }

    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, h)| h).unwrap_or("");
    let cols = map_columns(header, &alloc_path)?;

    // Key: (lower, upper). Activity sets per band for category mapping.
    let mut order: Vec<(u64, u64)> = Vec::new();
    let mut bands: HashMap<(u64, u64), Band> = HashMap::new();
    let mut activities: HashMap<(u64, u64), (bool, bool)> = HashMap::new();
    let mut alloc_activity: HashMap<(u64, u64, usize), (bool, bool)> = HashMap::new();
    let mut issues: Vec<RawIssue> = bad_lines
        .into_iter()
        .map(|line| RawIssue::InvalidUtf8 {
            file: alloc_path.display().to_string(),
            line,
        })
        .collect();
    let mut region_name = String::new();

    for (i, line) in lines {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let get = |c: usize| fields.get(c).map_or("", |s| s.trim());
        let parse_hz = |c: usize, field: &str| -> Result<u64, TableError> {
            get(c).parse::<u64>().map_err(|_| TableError::Parse {
                path: alloc_path.clone(),
                line: line_no,
                field: field.to_owned(),
                message: format!("expected an integer number of hertz, found {:?}", get(c)),
            })
        };
        let lower = parse_hz(cols.lower, "lower_frequency")?;
        let upper = parse_hz(cols.upper, "upper_frequency")?;
        if region_name.is_empty() {
            region_name = get(0).to_owned();
        }
        let key = (lower, upper);
        let band = bands.entry(key).or_insert_with(|| {
            order.push(key);
            let mut b = Band::new(lower, upper);
            b.line = SourceLine(line_no);
            b
        });
        let (fed, nonfed) = match cols.activity.map(get) {
            Some(a) if a.to_ascii_lowercase().starts_with("non") => (false, true),
            Some(a) if a.to_ascii_lowercase().starts_with("federal") => (true, false),
            _ => (false, false),
        };
        let act = activities.entry(key).or_insert((false, false));
        act.0 |= fed;
        act.1 |= nonfed;

        let service = get(cols.service);
        let notes = cols
            .footnotes
            .map(|c| split_footnotes(get(c)))
            .unwrap_or_default();
        if let Some(c) = cols.applications {
            let app = get(c);
            if !app.is_empty() && !band.applications.iter().any(|a| a == app) {
                band.applications.push(app.to_owned());
            }
        }
        if service == "-" || service.is_empty() {
            for n in notes {
                if !band.footnotes.contains(&n) {
                    band.footnotes.push(n);
                }
            }
            continue;
        }
        let status = match cols
            .category
            .map(get)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("p") => Status::Primary,
            Some("s") => Status::Secondary,
            _ if is_upper_case(service) => Status::Primary,
            _ => Status::Secondary,
        };
        let mut alloc = Allocation::new(service, status);
        alloc.footnotes = notes;
        alloc.line = SourceLine(line_no);
        if let Some(pos) = band.allocations.iter().position(|a| a.same_content(&alloc)) {
            let acts = alloc_activity
                .entry((lower, upper, pos))
                .or_insert((false, false));
            let repeated = (fed && acts.0) || (nonfed && acts.1) || (!fed && !nonfed);
            if repeated {
                issues.push(RawIssue::DuplicateRow {
                    lower_hz: lower,
                    upper_hz: upper,
                    line: line_no,
                    service: alloc.service_text.clone(),
                    first_line: band.allocations[pos].line.0,
                });
            }
            acts.0 |= fed;
            acts.1 |= nonfed;
            continue;
        }
        let pos = band.allocations.len();
        band.allocations.push(alloc);
        alloc_activity.insert((lower, upper, pos), (fed, nonfed));
    }

    let any_activity = cols.activity.is_some();
    let mut out_bands = Vec::with_capacity(order.len());
    for key in order {
        let Some(mut band) = bands.remove(&key) else {
            continue;
        };
        if any_activity {
            let (fed, nonfed) = activities.get(&key).copied().unwrap_or((false, false));
            band.category = category_of(fed, nonfed);
            for (pos, a) in band.allocations.iter_mut().enumerate() {
                let (f, n) = alloc_activity
                    .get(&(key.0, key.1, pos))
                    .copied()
                    .unwrap_or((false, false));
                let c = category_of(f, n);
                if c != band.category {
                    a.category = c;
                }
            }
        }
        out_bands.push(band);
    }

    let metadata = Metadata {
        country: meta
            .get("iso2")
            .map(|s| s.to_ascii_uppercase())
            .unwrap_or_else(|| region_code(&region_name)),
        name: meta
            .get("name_en")
            .cloned()
            .unwrap_or_else(|| region_name.clone()),
        itu_region: itu_region(&region_name, meta.get("parentRegions").map(String::as_str)),
        edition: meta.get("edition").cloned().unwrap_or_default(),
        effective_date: None,
        source: meta
            .get("official")
            .cloned()
            .unwrap_or_else(|| alloc_path.display().to_string()),
    };
    Ok(Imported {
        table: Table::new(metadata, out_bands, footnotes),
        issues,
    })
}

fn category_of(federal: bool, non_federal: bool) -> Option<Category> {
    match (federal, non_federal) {
        (true, true) => Some(Category::Joint),
        (true, false) => Some(Category::Government),
        (false, true) => Some(Category::Civil),
        (false, false) => None,
    }
}

fn region_code(region: &str) -> String {
    match itu_region(region, None) {
        Some(n) => format!("ITU-R{n}"),
        None => region.to_ascii_uppercase(),
    }
}

fn itu_region(region: &str, parents: Option<&str>) -> Option<u8> {
    let from_text = |t: &str| -> Option<u8> {
        let l = t.to_ascii_lowercase();
        ["1", "2", "3"].iter().zip(1u8..).find_map(|(d, n)| {
            (l.contains(&format!("region {d}"))
                || l.split([',', ' ']).any(|p| p.trim() == format!("itu{d}")))
            .then_some(n)
        })
    };
    from_text(region).or_else(|| parents.and_then(from_text))
}
