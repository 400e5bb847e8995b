//! The service's errors: a configuration that cannot be used (named with
//! the file and what was expected), a snapshot that cannot be loaded, a
//! socket that cannot be bound.

use std::path::PathBuf;

/// Errors of `spectra serve`.
#[derive(Debug, thiserror::Error)]
pub enum EirError {
    /// The configuration file is not valid.
    #[error("{file}: {message}")]
    Config {
        /// The configuration file.
        file: String,
        /// What was expected and what was found.
        message: String,
    },
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The snapshot could not be loaded.
    #[error(transparent)]
    Snapshot(#[from] imei_core::ImeiError),
    /// A listener could not be bound.
    #[error("listening on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The runtime could not be started.
    #[error("starting the runtime: {0}")]
    Runtime(std::io::Error),
}
