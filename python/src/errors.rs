//! The Python exceptions of the package and the conversion of Rust errors
//! into them: the message is the Rust error's, with its causes after `: `.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    spectra,
    SpectraError,
    PyException,
    "Raised when Spectra refuses an input or an operation fails; the message is the Rust error's, causes included."
);

/// An error and its causes as one line (a cause already quoted by the
/// message is not repeated).
pub fn error_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    message
}

/// A `SpectraError` whose message is `err` followed by its causes.
pub fn to_py(err: &(dyn std::error::Error + 'static)) -> PyErr {
    SpectraError::new_err(error_text(err))
}

/// A `SpectraError` with this message.
pub fn refused(message: impl Into<String>) -> PyErr {
    SpectraError::new_err(message.into())
}

/// `Result<T, E>` → `PyResult<T>` through [`to_py`].
pub trait PyResultExt<T> {
    /// Converts the error.
    fn py_err(self) -> PyResult<T>;
}

impl<T, E: std::error::Error + 'static> PyResultExt<T> for Result<T, E> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(|e| to_py(&e))
    }
}
