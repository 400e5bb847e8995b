//! Editing a table file: a conversion read, applied and written back under
//! an advisory lock, so two conversions of one file never interleave (the
//! second is refused as "in use" instead of silently losing the first).
//!
//! The working file is the whole table with its journal, so it is always
//! written in the native format (`.ntfa`); publishing other formats is
//! [`crate::publish`]'s job. The lock is `std::fs::File::try_lock` (an
//! advisory `flock` on Unix) on the table file, held from reading to the
//! atomic rename of the new version; after locking, the path must still name
//! the file that was locked (a conversion that replaced it in between makes
//! the later one fail as "in use" rather than convert a stale copy).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::convert::Conversion;
use crate::error::TableError;
use crate::journal::Decision;
use crate::model::Table;

/// Where the table to convert comes from.
#[derive(Debug, Clone)]
pub enum Input {
    /// A native table file (locked while converting) or a TSV directory.
    Path(PathBuf),
    /// A table already in memory (e.g. the embedded sample); `--out` needed.
    Table(Box<Table>),
}

/// A conversion of a table file.
#[derive(Debug, Clone)]
pub struct ConvertRequest {
    /// The table.
    pub input: Input,
    /// Where to write the converted table (`.ntfa`); default: the input file.
    pub out: Option<PathBuf>,
    /// The conversion.
    pub conversion: Conversion,
}

/// A conversion done and written: `{"decision":{…},"written":PATH}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Converted {
    /// The decision recorded in the journal.
    pub decision: Decision,
    /// The file written.
    pub written: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TableError + '_ {
    move |source| TableError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An open file holding the advisory lock until dropped.
struct Locked {
    file: File,
}

impl Locked {
    /// Opens and locks `path` for writing, or fails with "in use".
    fn acquire(path: &Path) -> Result<Self, TableError> {
        let file = File::open(path).map_err(io(path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(TableError::InUse {
                    path: path.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(path)(e)),
        }
        if !same_file(&file, path)? {
            return Err(TableError::InUse {
                path: path.to_path_buf(),
            });
        }
        Ok(Self { file })
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> Result<bool, TableError> {
    use std::os::unix::fs::MetadataExt;
    let a = file.metadata().map_err(io(path))?;
    let b = std::fs::metadata(path).map_err(io(path))?;
    Ok(a.dev() == b.dev() && a.ino() == b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &File, _: &Path) -> Result<bool, TableError> {
    Ok(true)
}

fn is_native_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("ntfa"))
}

/// Applies a conversion to a table and writes the result (native format,
/// atomically) — the library entry point of `spectra table convert`.
/// Refuses a non-`.ntfa` output, a locked table file, and any conversion
/// the law or the table refuses; nothing is written on error.
pub fn convert(request: ConvertRequest) -> Result<Converted, TableError> {
    let input_file = match &request.input {
        Input::Path(p) if p.is_file() => Some(p.clone()),
        Input::Path(p) if !p.exists() => {
            return Err(TableError::Io {
                path: p.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            });
        }
        _ => None,
    };
    let target = match (&request.out, &input_file) {
        (Some(o), _) => o.clone(),
        (None, Some(p)) => p.clone(),
        (None, None) => {
            return Err(TableError::NoTarget);
        }
    };
    if !is_native_path(&target) {
        return Err(TableError::NotNative { path: target });
    }
    let mut locks = Vec::new();
    let (mut table, label) = match request.input {
        Input::Path(p) if input_file.is_some() => {
            let mut lock = Locked::acquire(&p)?;
            let mut text = String::new();
            lock.file.read_to_string(&mut text).map_err(io(&p))?;
            locks.push(lock);
            (crate::native::from_native_str(&text, &p)?, p)
        }
        Input::Path(p) => (crate::load::load(&p)?.table, p),
        Input::Table(t) => (*t, target.clone()),
    };
    if input_file.as_deref() != Some(target.as_path()) && target.is_file() {
        locks.push(Locked::acquire(&target)?);
    }
    let decision = table
        .convert(&request.conversion)
        .map_err(|source| TableError::Conversion {
            path: label,
            source,
        })?
        .clone();
    crate::native::write_native(&table, &target)?;
    drop(locks);
    Ok(Converted {
        decision,
        written: target,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::Category;

    const TABLE: &str =
        "spectra-ntfa\t1\nband\t1 MHz\t2 MHz\tgovernment\tpublic\t\nalloc\tp\tFixed\t\t-\n";

    fn request(input: &Path, out: Option<PathBuf>) -> ConvertRequest {
        ConvertRequest {
            input: Input::Path(input.to_path_buf()),
            out,
            conversion: Conversion {
                lower_hz: 1_000_000,
                upper_hz: 1_500_000,
                from: Category::Government,
                to: Category::Civil,
                reference: "R-1".into(),
                authority: "Agency".into(),
                effective_date: chrono::NaiveDate::default(),
            },
        }
    }

    #[test]
    fn a_locked_table_is_refused_as_in_use_and_left_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.ntfa");
        std::fs::write(&path, TABLE).unwrap();
        let holder = File::open(&path).unwrap();
        holder.lock().unwrap();
        let e = convert(request(&path, None)).unwrap_err();
        assert!(matches!(e, TableError::InUse { .. }), "{e}");
        assert!(e.to_string().contains("in use"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), TABLE);
        holder.unlock().unwrap();
        let done = convert(request(&path, None)).unwrap();
        let missing = convert(request(&dir.path().join("none.ntfa"), None)).unwrap_err();
        assert!(missing.to_string().contains("none.ntfa"), "{missing}");
        assert_eq!(done.written, path);
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("decision\tR-1")
        );
    }

    #[test]
    fn only_native_outputs_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.ntfa");
        std::fs::write(&path, TABLE).unwrap();
        let csv = dir.path().join("x.csv");
        let e = convert(request(&path, Some(csv.clone()))).unwrap_err();
        assert!(matches!(e, TableError::NotNative { .. }), "{e}");
        assert!(!csv.exists());
        let mut blank = request(&path, Some(dir.path().join("y.ntfa")));
        blank.conversion.reference = " ".into();
        let e = convert(blank).unwrap_err().to_string();
        assert!(
            e.contains("conversion refused") && e.contains("reference"),
            "{e}"
        );
        assert!(!dir.path().join("y.ntfa").exists());
    }
}
