//! Atomic file output — the one implementation in the workspace: write to a
//! temporary file with an unpredictable name in the destination directory,
//! fsync it, then rename it into place. A failed or abandoned write leaves
//! nothing behind and never a half-written file at the final path.
//!
//! - [`AtomicFile`]: a `Write` sink for writers that take a writer;
//! - [`AtomicPath`]: a temporary *path* for writers that insist on opening a
//!   path themselves (plotters' bitmap backend);
//! - [`write_atomic`]: a whole byte buffer in one call.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::TabularError;

/// A file that appears at its path only when [`AtomicFile::commit`] succeeds.
/// Dropped without commit, it leaves nothing behind.
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("out.txt");
/// let mut f = tabular::AtomicFile::create(&path).unwrap();
/// f.write_all(b"hello").unwrap();
/// assert!(!path.exists());
/// f.commit().unwrap();
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello");
/// ```
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    inner: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `path` (creating its parent directory if needed).
    pub fn create(path: &Path) -> Result<Self, TabularError> {
        let tmp = temp_beside(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            inner: BufWriter::with_capacity(1 << 20, tmp),
        })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the temporary file to the final path.
    pub fn commit(self) -> Result<(), TabularError> {
        let path = self.path;
        let tmp = self
            .inner
            .into_inner()
            .map_err(|e| io_err(&path, e.into_error()))?;
        persist(tmp, &path)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A temporary file beside a final path, for writers that open a path
/// themselves: give them [`AtomicPath::temp_path`], then
/// [`AtomicPath::commit`] syncs and renames it. Dropped without commit, the
/// temporary file is removed.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("chart.png");
/// let target = tabular::AtomicPath::create(&path).unwrap();
/// std::fs::write(target.temp_path(), b"drawn").unwrap();
/// assert!(!path.exists());
/// target.commit().unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"drawn");
/// ```
#[derive(Debug)]
pub struct AtomicPath {
    path: PathBuf,
    tmp: NamedTempFile,
}

impl AtomicPath {
    /// Creates the temporary file beside `path` (creating its directory).
    pub fn create(path: &Path) -> Result<Self, TabularError> {
        Ok(Self {
            path: path.to_path_buf(),
            tmp: temp_beside(path)?,
        })
    }

    /// The temporary path to write to (unpredictable name, same directory).
    pub fn temp_path(&self) -> &Path {
        self.tmp.path()
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Syncs the temporary file and renames it to the final path. The writer
    /// must have written to [`AtomicPath::temp_path`] in place (truncating
    /// the file, not replacing it), as `File::create` does.
    pub fn commit(self) -> Result<(), TabularError> {
        let file = std::fs::File::open(self.tmp.path()).map_err(|e| io_err(&self.path, e))?;
        file.sync_all().map_err(|e| io_err(&self.path, e))?;
        persist(self.tmp, &self.path)
    }
}

/// Writes `bytes` to `path` atomically (temporary file, fsync, rename).
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("a/b.svg");
/// tabular::write_atomic(&path, b"<svg/>").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"<svg/>");
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), TabularError> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes).map_err(|e| io_err(path, e))?;
    f.commit()
}

/// A named temporary file in the directory of `path` (created if missing).
pub(crate) fn temp_beside(path: &Path) -> Result<NamedTempFile, TabularError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| io_err(path, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    // Keep the final extension last: some writers (the `image` crate behind
    // plotters' bitmap backend) choose the encoding by it.
    let suffix = match path.extension() {
        Some(ext) => format!(".tmp.{}", ext.to_string_lossy()),
        None => ".tmp".to_owned(),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(&suffix);
    // Published outputs are readable by everyone (rw-r--r--), not private
    // like an ordinary temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(&dir).map_err(|e| io_err(path, e))
}

/// Syncs a finished temporary file and renames it to `path`.
pub(crate) fn persist(tmp: NamedTempFile, path: &Path) -> Result<(), TabularError> {
    tmp.as_file().sync_all().map_err(|e| io_err(path, e))?;
    tmp.persist(path).map_err(|e| io_err(path, e.error))?;
    Ok(())
}

pub(crate) fn io_err(path: &Path, source: std::io::Error) -> TabularError {
    TabularError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn abandoned_outputs_leave_nothing_and_temp_names_differ() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.png");
        let a = AtomicPath::create(&path).unwrap();
        let b = AtomicPath::create(&path).unwrap();
        assert_ne!(a.temp_path(), b.temp_path(), "temp names are unpredictable");
        assert_eq!(a.temp_path().parent(), path.parent(), "same directory");
        assert_eq!(
            a.temp_path().extension(),
            path.extension(),
            "same extension"
        );
        std::fs::write(a.temp_path(), b"half").unwrap();
        drop(a);
        drop(b);
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn committed_path_replaces_an_existing_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.svg");
        std::fs::write(&path, b"old contents that are longer").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let t = AtomicPath::create(&path).unwrap();
        std::fs::write(t.temp_path(), b"newer").unwrap();
        t.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"newer");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
