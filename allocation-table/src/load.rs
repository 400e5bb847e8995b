//! Loading a table from a path: a native `.ntfa` file or a directory in the
//! EarthFrequencies TSV layout.

use std::path::Path;

use crate::efis::import_dir;
use crate::error::TableError;
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

/// Loads a table from a native file or a TSV directory.
pub fn load(path: &Path) -> Result<Loaded, TableError> {
    if path.is_dir() {
        let imported = import_dir(path)?;
        return Ok(Loaded {
            table: imported.table,
            issues: imported.issues,
        });
    }
    if path.is_file() {
        return Ok(Loaded {
            table: read_native(path)?,
            issues: Vec::new(),
        });
    }
    Err(TableError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
    })
}
