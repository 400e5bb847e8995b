//! Provenance of a published data set: where it comes from, which edition,
//! when it was exported and by which tool version.

use std::collections::BTreeMap;

/// Key-value provenance written into Parquet metadata (and alongside other
/// formats by callers that want it).
///
/// [`Provenance::new`] fills `source`, `tool` (`spectra`), `tool_version` and
/// `exported_at` (UTC, RFC 3339); [`Provenance::with`] adds or replaces keys.
///
/// ```
/// let p = tabular::Provenance::new("sample NTFA").with("edition", "2024");
/// assert_eq!(p.get("edition"), Some("2024"));
/// assert_eq!(p.get("tool"), Some("spectra"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    entries: BTreeMap<String, String>,
}

impl Provenance {
    /// Provenance for data coming from `source`, exported now.
    pub fn new(source: impl Into<String>) -> Self {
        let mut entries = BTreeMap::new();
        entries.insert("source".to_owned(), source.into());
        entries.insert("tool".to_owned(), "spectra".to_owned());
        entries.insert(
            "tool_version".to_owned(),
            env!("CARGO_PKG_VERSION").to_owned(),
        );
        entries.insert(
            "exported_at".to_owned(),
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
        Self { entries }
    }

    /// Adds or replaces one entry.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.entries.insert(key.into(), value.into());
        self
    }

    /// The value of an entry.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// Every entry, sorted by key.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The entries as a JSON object (for sidecar files and JSON exports).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.entries
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect(),
        )
    }
}
