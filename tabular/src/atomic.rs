//! Atomic file output: write to a temporary file in the destination
//! directory, then rename it into place.

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
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
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
