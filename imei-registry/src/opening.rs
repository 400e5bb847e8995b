//! Opening a registry file safely: one process at a time (an advisory lock
//! on `<file>.lock` holding the holder's process id), write access required
//! (every read is audited), DuckDB's own lock conflicts named, and the file
//! checked to be a Spectra registry of this schema version with this build's
//! reason catalogue before anything else touches it.

use std::path::{Path, PathBuf};

use duckdb::Connection;
use imei_core::verdict::REASONS;

use crate::error::RegistryError;
use crate::store::SCHEMA_VERSION;

/// The advisory lock file beside a registry.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the registry's advisory lock, recording our process id in it.
pub(crate) fn take_lock(path: &Path) -> Result<std::fs::File, RegistryError> {
    use std::io::{Read, Seek, Write};
    let lp = lock_path(path);
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lp)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                RegistryError::ReadOnly {
                    path: path.display().to_string(),
                }
            }
            _ => RegistryError::io(&lp, e),
        })?;
    match f.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            // The holder writes its pid just after taking the lock: give it
            // a moment when the file is still empty.
            let mut pid = String::new();
            for _ in 0..10 {
                pid.clear();
                let _ = f.rewind();
                let _ = f.read_to_string(&mut pid);
                if !pid.trim().is_empty() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let pid = pid.trim();
            return Err(RegistryError::InUse {
                path: path.display().to_string(),
                pid: if pid.is_empty() {
                    "unknown".into()
                } else {
                    pid.to_string()
                },
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(RegistryError::io(&lp, e)),
    }
    // Best effort: the lock is the flock, the pid only names the holder.
    let _ = f.set_len(0);
    let _ = f.rewind();
    let _ = write!(f, "{}", std::process::id());
    let _ = f.flush();
    Ok(f)
}

/// Every read of a registry is written to its audit log (the law asks that
/// each read be logged), so a registry is only ever opened for writing: a
/// file marked read-only is refused with that reason instead of failing
/// later with "Permission denied".
pub(crate) fn refuse_read_only(path: &Path) -> Result<(), RegistryError> {
    let meta = std::fs::metadata(path).map_err(|e| RegistryError::io(path, e))?;
    if meta.permissions().readonly() {
        return Err(RegistryError::ReadOnly {
            path: path.display().to_string(),
        });
    }
    Ok(())
}

/// DuckDB's memory limit: 40 % of the machine's memory (DuckDB's own
/// default is 80 %, which leaves too little for the Rust side of a
/// national import or classification running in the same process; DuckDB
/// spills to its temporary directory beyond the limit). `None` where the
/// machine's memory cannot be read (DuckDB's default then applies).
fn memory_limit_mb() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some((kb / 1024 * 2 / 5).max(256))
}

/// Opens the DuckDB file, turning DuckDB's own lock conflict (another
/// program such as the DuckDB CLI holds it) into [`RegistryError::InUse`].
///
/// A new file is written in the storage format of DuckDB 1.2.0 (the bundled
/// build would otherwise mark it as a development version that no released
/// DuckDB opens), so analysts can open the registry with DuckDB ≥ 1.2.
pub(crate) fn connect(path: &Path) -> Result<Connection, RegistryError> {
    let mut config = duckdb::Config::default()
        .with("storage_compatibility_version", "v1.2.0")
        .map_err(RegistryError::db("configuring DuckDB"))?;
    if let Some(mb) = memory_limit_mb() {
        config = config
            .with("memory_limit", format!("{mb}MB"))
            .map_err(RegistryError::db("configuring DuckDB"))?;
    }
    Connection::open_with_flags(path, config).map_err(|e| {
        let text = e.to_string();
        if let Some(i) = text.find("PID ") {
            let pid: String = text[i + 4..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            return RegistryError::InUse {
                path: path.display().to_string(),
                pid: if pid.is_empty() {
                    "unknown".into()
                } else {
                    pid
                },
            };
        }
        RegistryError::db(format!("opening {}", path.display()))(e)
    })
}

/// Checks that `conn` holds a Spectra registry of this schema version with
/// this build's reason catalogue.
pub(crate) fn check_schema(conn: &Connection, path: &Path) -> Result<(), RegistryError> {
    let not = |detail: String| RegistryError::NotARegistry {
        path: path.display().to_string(),
        detail,
    };
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta' AND schema_name = 'main'",
            [],
            |r| r.get(0),
        )
        .map_err(RegistryError::db(format!("opening {}", path.display())))?;
    if tables == 0 {
        return Err(not(
            "it has no `meta` table (a DuckDB file of something else?)".into(),
        ));
    }
    let version: Option<String> = match conn.query_row(
        "SELECT value FROM meta WHERE key = 'schema_version'",
        [],
        |r| r.get(0),
    ) {
        Ok(v) => Some(v),
        Err(duckdb::Error::QueryReturnedNoRows) => None,
        Err(e) => return Err(RegistryError::db(format!("opening {}", path.display()))(e)),
    };
    match version.as_deref() {
        Some(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(not(format!(
                "expected schema version {SCHEMA_VERSION}, found {v} (re-create it with this version's \
                 `spectra registry init` and re-import the device lists)"
            )));
        }
        None => return Err(not("its `meta` table has no schema_version".into())),
    }
    let mut st = conn
        .prepare("SELECT bit, name, typical_status FROM reasons ORDER BY bit")
        .map_err(RegistryError::db("reading the reason catalogue"))?;
    let stored: Vec<(u8, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(RegistryError::db("reading the reason catalogue"))?
        .collect::<Result<_, _>>()
        .map_err(RegistryError::db("reading the reason catalogue"))?;
    let expected: Vec<(u8, String, String)> = REASONS
        .iter()
        .map(|r| {
            (
                r.bit,
                r.name.to_string(),
                r.typical_status.name().to_string(),
            )
        })
        .collect();
    if stored != expected {
        let names = |v: &[(u8, String, String)]| {
            v.iter()
                .map(|r| format!("{}={}", r.0, r.1))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(not(format!(
            "the reason catalogue differs from this build's: expected [{}], found [{}]",
            names(&expected),
            names(&stored)
        )));
    }
    Ok(())
}
