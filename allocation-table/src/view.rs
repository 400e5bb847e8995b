//! Machine-readable views of bands for JSON output (`spectra table … --json`):
//! `{"lower_hz","upper_hz","category","footnotes":[…],"allocations":
//! [{"service","status","qualifiers":[…],"footnotes":[…]}]}` with the
//! service as written in the source, trimmed.

use serde::Serialize;

use crate::model::{Allocation, Band, Category, Status};
use crate::service::ServiceEntry;

/// JSON view of an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllocationView {
    /// Service as written in the source, trimmed.
    pub service: String,
    /// RR service id (`mobile`, …), `not_allocated` or `unknown`.
    pub service_id: String,
    /// `primary` or `secondary`.
    pub status: Status,
    /// Qualifiers kept apart from the service.
    pub qualifiers: Vec<String>,
    /// Allocation footnotes.
    pub footnotes: Vec<String>,
    /// Category of use of this allocation (its override, else the band's).
    pub category: Option<Category>,
}

/// JSON view of a band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandView {
    /// Lower edge, Hz.
    pub lower_hz: u64,
    /// Upper edge, Hz.
    pub upper_hz: u64,
    /// National category of use.
    pub category: Option<Category>,
    /// Band footnotes.
    pub footnotes: Vec<String>,
    /// Allocations in table order.
    pub allocations: Vec<AllocationView>,
}

impl AllocationView {
    /// The view of an allocation of `band`.
    pub fn new(band: &Band, a: &Allocation) -> Self {
        let parsed = a.parsed();
        Self {
            service: a.service_text.clone(),
            service_id: match parsed.entry {
                ServiceEntry::Service(s) => s.id().to_owned(),
                ServiceEntry::NotAllocated => "not_allocated".to_owned(),
                ServiceEntry::Unknown(_) => "unknown".to_owned(),
            },
            status: a.status,
            qualifiers: parsed.qualifiers,
            footnotes: a.footnotes.clone(),
            category: band.allocation_category(a),
        }
    }
}

impl From<&Band> for BandView {
    fn from(b: &Band) -> Self {
        Self {
            lower_hz: b.lower_hz,
            upper_hz: b.upper_hz,
            category: b.category,
            footnotes: b.footnotes.clone(),
            allocations: b
                .allocations
                .iter()
                .map(|a| AllocationView::new(b, a))
                .collect(),
        }
    }
}

/// A one-line human description of a band: edges, category and allocations
/// (primary in capitals as in the Radio Regulations).
pub fn describe(b: &Band) -> String {
    use crate::freq::format_freq_hz;
    let allocs: Vec<String> = b
        .allocations
        .iter()
        .map(|a| {
            let name = match a.status {
                Status::Primary => a.service_text.to_uppercase(),
                Status::Secondary => a.service_text.clone(),
            };
            let notes = if a.footnotes.is_empty() {
                String::new()
            } else {
                format!(" {}", a.footnotes.join(" "))
            };
            let cat = a
                .category
                .map(|c| format!(" [{}]", c.name()))
                .unwrap_or_default();
            format!("{name}{notes}{cat}")
        })
        .collect();
    format!(
        "{} – {}  [{}]  {}{}",
        format_freq_hz(b.lower_hz),
        format_freq_hz(b.upper_hz),
        b.category.map_or("-", Category::name),
        if allocs.is_empty() {
            "(no allocation)".to_owned()
        } else {
            allocs.join("; ")
        },
        if b.footnotes.is_empty() {
            String::new()
        } else {
            format!("  footnotes: {}", b.footnotes.join(" "))
        }
    )
}
