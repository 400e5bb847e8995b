//! Loading a table from a path: a native `.ntfa` file, a Parquet export or a
//! directory in the EarthFrequencies TSV layout.

use std::path::Path;

use crate::efis::import_dir;
use crate::error::TableError;
use crate::export::read_parquet_export;
use crate::model::Table;
use crate::native::read_native;
use crate::validate::RawIssue;

/// A loaded table and the row-level issues its reader saw.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The table.
    pub table: Table,
    /// Row-level issues for validation.
    pub issues: Vec<RawIssue>,
}

/// Loads a table from a native file, a Parquet export (`.parquet`) or a
/// TSV directory. A source with no band at all (a header-only
/// `allocations.tsv`, a `.ntfa` with only its first line) is refused: an
/// empty table is never a result.
pub fn load(path: &Path) -> Result<Loaded, TableError> {
    let loaded = load_any(path)?;
    if loaded.table.bands().is_empty() {
        return Err(TableError::Parse {
            path: if path.is_dir() {
                path.join("allocations.tsv")
            } else {
                path.to_path_buf()
            },
            line: 0,
            field: "bands".into(),
            message: "the table has no band (header only?); nothing to load".into(),
        });
    }
    Ok(loaded)
}

fn load_any(path: &Path) -> Result<Loaded, TableError> {
    if path.is_dir() {
        let imported = import_dir(path)?;
        return Ok(Loaded {
            table: imported.table,
            issues: imported.issues,
        });
    }
    if path.is_file() {
        let parquet = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
        return Ok(Loaded {
            table: if parquet {
                read_parquet_export(path)?
            } else {
                read_native(path)?
            },
            issues: Vec::new(),
        });
    }
    Err(TableError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
    })
}
