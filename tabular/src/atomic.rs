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
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

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
    /// Starts writing `path`. Refuses a path whose parent directory is
    /// missing or that names a symbolic link, FIFO, device or directory
    /// (see [`check_output`]).
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
    /// Creates the temporary file beside `path` (its directory must exist).
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
/// let path = dir.path().join("b.svg");
/// tabular::write_atomic(&path, b"<svg/>").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"<svg/>");
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), TabularError> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes).map_err(|e| io_err(path, e))?;
    f.commit()
}

/// Temporary files of our own naming older than this are swept from an
/// output's directory when the next output is written there.
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(3600);

/// Free space kept in reserve by [`check_free_space`]: 64 MiB.
pub const FREE_SPACE_MARGIN_BYTES: u64 = 64 << 20;

/// Refuses to start an output of about `needed_bytes` at `path` when the file
/// system of its directory has less free space than that plus
/// [`FREE_SPACE_MARGIN_BYTES`], so a large job fails at once with a clear
/// error instead of filling the disk and failing at the end.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("big.parquet");
/// assert!(tabular::check_free_space(&out, 1024).is_ok());
/// assert!(tabular::check_free_space(&out, u64::MAX / 2).is_err());
/// ```
pub fn check_free_space(path: &Path, needed_bytes: u64) -> Result<(), TabularError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let available = fs4::available_space(&dir).map_err(|e| io_err(path, e))?;
    if available < needed_bytes.saturating_add(FREE_SPACE_MARGIN_BYTES) {
        let mib = |b: u64| b / (1 << 20);
        return Err(TabularError::Invalid(format!(
            "{}: expected about {} MiB of free space for this output (plus {} MiB in reserve), found {} MiB \
             free on its file system",
            path.display(),
            mib(needed_bytes),
            mib(FREE_SPACE_MARGIN_BYTES),
            mib(available)
        )));
    }
    Ok(())
}

/// Checks an output path before anything is read or written: the parent
/// directory must exist (it is never created), an existing `out` must be a
/// regular file (a symbolic link, FIFO, device or directory is refused, not
/// replaced), and `out` must not be one of `inputs` (the same file under any
/// name). `-` (standard output) is not a path: callers handle it first.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let input = dir.path().join("in.csv");
/// std::fs::write(&input, b"a\n").unwrap();
/// assert!(tabular::check_output(&dir.path().join("out.csv"), &[&input]).is_ok());
/// assert!(tabular::check_output(&input, &[&input]).is_err());
/// assert!(tabular::check_output(&dir.path().join("no/out.csv"), &[]).is_err());
/// ```
pub fn check_output(out: &Path, inputs: &[&Path]) -> Result<(), TabularError> {
    check_target(out)?;
    if let Ok(out_meta) = std::fs::metadata(out) {
        for input in inputs {
            if let Ok(in_meta) = std::fs::metadata(input)
                && same_file(&out_meta, &in_meta)
            {
                return Err(TabularError::Invalid(format!(
                    "{}: the output is the input {}; write to another file",
                    out.display(),
                    input.display()
                )));
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// The directory of `path` (`.` for a bare file name).
fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses a missing parent directory and an existing non-regular file.
fn check_target(path: &Path) -> Result<(), TabularError> {
    let dir = dir_of(path);
    if !dir.is_dir() {
        return Err(TabularError::Invalid(format!(
            "{}: directory {} does not exist (create it first; outputs never create directories)",
            path.display(),
            dir.display()
        )));
    }
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let ft = meta.file_type();
        let kind = if ft.is_symlink() {
            Some("a symbolic link")
        } else if ft.is_dir() {
            Some("a directory")
        } else if !ft.is_file() {
            Some("a FIFO, socket or device")
        } else {
            None
        };
        if let Some(kind) = kind {
            return Err(TabularError::Invalid(format!(
                "{}: is {kind}; refusing to replace it with a regular file (give a regular file name, or `-` for standard output where supported)",
                path.display()
            )));
        }
    }
    Ok(())
}

/// The name prefix of our temporary files beside `path`: `.<name>.`.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.")
}

/// Removes temporary files of our own naming (`.<name>.*.tmp*`) beside
/// `path` that were last modified more than `max_age` ago — left behind by a
/// killed run. Returns how many were removed; errors are ignored (a sweep
/// never fails a write).
pub fn sweep_stale_temps(path: &Path, max_age: Duration) -> usize {
    let prefix = temp_prefix(path);
    let Ok(entries) = std::fs::read_dir(dir_of(path)) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        if !rest.contains(".tmp") {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > max_age);
        if meta.is_file() && old && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Temporary files being written right now, for [`remove_in_flight_temps`].
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Registers a temporary path while it is in flight. Entries whose file is
/// gone (renamed into place, or removed when its writer was dropped) are
/// pruned here, so the list stays as short as the writes in progress.
fn register_in_flight(path: &Path) {
    if let Ok(mut v) = IN_FLIGHT.lock() {
        v.retain(|p| p.exists());
        v.push(path.to_path_buf());
    }
}

fn unregister_in_flight(path: &Path) {
    if let Ok(mut v) = IN_FLIGHT.lock() {
        v.retain(|p| p != path);
    }
}

/// Removes every temporary file this process is writing right now; for a
/// signal handler (SIGINT/SIGTERM) that then exits. Returns how many files
/// were removed.
pub fn remove_in_flight_temps() -> usize {
    remove_in_flight_where(|_| true)
}

fn remove_in_flight_where(select: impl Fn(&Path) -> bool) -> usize {
    let chosen: Vec<PathBuf> = match IN_FLIGHT.lock() {
        Ok(mut v) => {
            let (chosen, kept) = std::mem::take(&mut *v).into_iter().partition(|p| select(p));
            *v = kept;
            chosen
        }
        Err(_) => return 0,
    };
    chosen
        .iter()
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

/// A named temporary file in the directory of `path`, which must exist;
/// stale temporary files of our naming there are swept first.
pub(crate) fn temp_beside(path: &Path) -> Result<NamedTempFile, TabularError> {
    check_target(path)?;
    let dir = dir_of(path);
    sweep_stale_temps(path, STALE_TEMP_AGE);
    let prefix = temp_prefix(path);
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
    let tmp = builder.tempfile_in(&dir).map_err(|e| io_err(path, e))?;
    register_in_flight(tmp.path());
    Ok(tmp)
}

/// Syncs a finished temporary file and renames it to `path`.
pub(crate) fn persist(tmp: NamedTempFile, path: &Path) -> Result<(), TabularError> {
    tmp.as_file().sync_all().map_err(|e| io_err(path, e))?;
    let tmp_path = tmp.path().to_path_buf();
    // A link, FIFO or device may have appeared since the write began.
    check_target(path)?;
    tmp.persist(path).map_err(|e| io_err(path, e.error))?;
    unregister_in_flight(&tmp_path);
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

    #[test]
    fn special_files_and_missing_directories_are_refused_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        // Missing parent directory: refused, not created.
        let nested = dir.path().join("missing/out.csv");
        let e = write_atomic(&nested, b"x").unwrap_err().to_string();
        assert!(e.contains("does not exist"), "{e}");
        assert!(!dir.path().join("missing").exists());
        // A symbolic link is refused and left as it was.
        let target = dir.path().join("target.txt");
        std::fs::write(&target, b"keep").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = write_atomic(&link, b"new").unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
        // A device is refused.
        let e = check_output(Path::new("/dev/null"), &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("device"), "{e}");
        // A directory is refused.
        assert!(check_output(dir.path(), &[]).is_err());
        // Nothing of ours was left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn output_equal_to_an_input_is_refused_under_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("table.ntfa");
        std::fs::write(&input, b"x").unwrap();
        let other_name = dir.path().join(".").join("table.ntfa");
        let e = check_output(&other_name, &[Path::new("/nonexistent"), &input])
            .unwrap_err()
            .to_string();
        assert!(e.contains("is the input"), "{e}");
        assert!(check_output(&dir.path().join("other.ntfa"), &[&input]).is_ok());
    }

    #[test]
    fn stale_temps_of_our_naming_are_swept_and_in_flight_ones_removed_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let stale = dir.path().join(".out.csv.abc123.tmp.csv");
        let fresh = dir.path().join(".out.csv.def456.tmp.csv");
        let foreign = dir.path().join(".other.csv.abc123.tmp.csv");
        for p in [&stale, &fresh, &foreign] {
            std::fs::write(p, b"x").unwrap();
        }
        let old = SystemTime::now() - Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        std::fs::File::options()
            .write(true)
            .open(&foreign)
            .unwrap()
            .set_modified(old)
            .unwrap();
        write_atomic(&path, b"new").unwrap();
        assert!(!stale.exists(), "a stale temp of ours is swept");
        assert!(fresh.exists(), "a recent one may belong to a running write");
        assert!(foreign.exists(), "another output's temp is not ours");

        let open = AtomicFile::create(&dir.path().join("big.csv")).unwrap();
        let before = std::fs::read_dir(dir.path()).unwrap().count();
        // (Other tests write in parallel: remove only this directory's.)
        assert_eq!(remove_in_flight_where(|p| p.starts_with(dir.path())), 1);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), before - 1);
        drop(open);
    }
}
