//! Band-aligned difference of two tables (e.g. a national table against the
//! ITU table of its Region): services added or removed, status changed,
//! category changed — aligned on the union of both tables' band edges, so
//! tables with different band edges compare spectrum to spectrum.

use serde::Serialize;

use crate::model::{Band, Category, Status, Table};
use crate::service::service_key;

/// One difference over a stretch of spectrum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// A service allocated in the second table but not the first.
    ServiceAdded {
        /// The service as written in the second table.
        service: String,
        /// Its status there.
        status: Status,
    },
    /// A service allocated in the first table but not the second.
    ServiceRemoved {
        /// The service as written in the first table.
        service: String,
        /// Its status there.
        status: Status,
    },
    /// The same service with a different status.
    StatusChanged {
        /// The service as written in the second table.
        service: String,
        /// Status in the first table.
        from: Status,
        /// Status in the second table.
        to: Status,
    },
    /// The category of use differs.
    CategoryChanged {
        /// Category in the first table.
        from: Option<Category>,
        /// Category in the second table.
        to: Option<Category>,
    },
    /// Spectrum covered by only one of the tables.
    Coverage {
        /// Covered by the first table.
        in_first: bool,
        /// Covered by the second table.
        in_second: bool,
    },
}

impl std::fmt::Display for Change {
    /// Plain language: `+ Space Research (secondary)`, `− Mobile (primary)`,
    /// `Fixed: primary → secondary`, `category government → none`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cat = |c: &Option<Category>| c.map_or("none", Category::name);
        match self {
            Change::ServiceAdded { service, status } => {
                write!(f, "+ {service} ({})", status.name())
            }
            Change::ServiceRemoved { service, status } => {
                write!(f, "− {service} ({})", status.name())
            }
            Change::StatusChanged { service, from, to } => {
                write!(f, "{service}: {} → {}", from.name(), to.name())
            }
            Change::CategoryChanged { from, to } => {
                write!(f, "category {} → {}", cat(from), cat(to))
            }
            Change::Coverage {
                in_first,
                in_second,
            } => match (in_first, in_second) {
                (true, false) => write!(f, "only in the first table"),
                (false, true) => write!(f, "only in the second table"),
                _ => write!(f, "coverage differs"),
            },
        }
    }
}

/// The differences over `[lower_hz, upper_hz)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffSegment {
    /// Lower edge, Hz.
    pub lower_hz: u64,
    /// Upper edge, Hz.
    pub upper_hz: u64,
    /// The differences, in a stable order.
    pub changes: Vec<Change>,
}

fn changes_between(a: Option<&Band>, b: Option<&Band>) -> Vec<Change> {
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        (None, None) => return Vec::new(),
        (a, b) => {
            return vec![Change::Coverage {
                in_first: a.is_some(),
                in_second: b.is_some(),
            }];
        }
    };
    let mut out = Vec::new();
    if a.category != b.category {
        out.push(Change::CategoryChanged {
            from: a.category,
            to: b.category,
        });
    }
    let key = |s: &str| service_key(s);
    for x in &a.allocations {
        match b
            .allocations
            .iter()
            .find(|y| key(&y.service_text) == key(&x.service_text))
        {
            None => out.push(Change::ServiceRemoved {
                service: x.service_text.clone(),
                status: x.status,
            }),
            Some(y) if y.status != x.status => out.push(Change::StatusChanged {
                service: y.service_text.clone(),
                from: x.status,
                to: y.status,
            }),
            Some(_) => {}
        }
    }
    for y in &b.allocations {
        if !a
            .allocations
            .iter()
            .any(|x| key(&x.service_text) == key(&y.service_text))
        {
            out.push(Change::ServiceAdded {
                service: y.service_text.clone(),
                status: y.status,
            });
        }
    }
    out
}

/// Differences from `first` to `second`, one segment per stretch of spectrum
/// with the same differences (segments without differences are left out).
pub fn diff(first: &Table, second: &Table) -> Vec<DiffSegment> {
    let mut edges: Vec<u64> = first
        .bands()
        .iter()
        .chain(second.bands())
        .filter(|b| b.lower_hz < b.upper_hz)
        .flat_map(|b| [b.lower_hz, b.upper_hz])
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let mut out: Vec<DiffSegment> = Vec::new();
    for w in edges.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let changes = changes_between(first.band_at(lo), second.band_at(lo));
        if changes.is_empty() {
            continue;
        }
        if let Some(prev) = out.last_mut()
            && prev.upper_hz == lo
            && prev.changes == changes
        {
            prev.upper_hz = hi;
            continue;
        }
        out.push(DiffSegment {
            lower_hz: lo,
            upper_hz: hi,
            changes,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{Allocation, Metadata};

    fn band(lo: u64, hi: u64, services: &[(&str, Status)], cat: Option<Category>) -> Band {
        let mut b = Band::new(lo, hi);
        b.category = cat;
        b.allocations = services
            .iter()
            .map(|(s, st)| Allocation::new(*s, *st))
            .collect();
        b
    }

    #[test]
    fn aligned_on_both_tables_edges() {
        use Status::*;
        let itu = Table::new(
            Metadata::default(),
            vec![band(
                0,
                100,
                &[("Fixed", Primary), ("Mobile", Primary)],
                None,
            )],
            BTreeMap::new(),
        );
        let nat = Table::new(
            Metadata::default(),
            vec![
                band(
                    0,
                    40,
                    &[("FIXED", Primary), ("MOBILE", Primary)],
                    Some(Category::Joint),
                ),
                band(40, 100, &[("Fixed", Secondary)], Some(Category::Joint)),
            ],
            BTreeMap::new(),
        );
        let d = diff(&itu, &nat);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].lower_hz, d[0].upper_hz), (0, 40));
        assert_eq!(
            d[0].changes,
            vec![Change::CategoryChanged {
                from: None,
                to: Some(Category::Joint)
            }]
        );
        assert_eq!((d[1].lower_hz, d[1].upper_hz), (40, 100));
        assert!(d[1].changes.contains(&Change::ServiceRemoved {
            service: "Mobile".into(),
            status: Primary
        }));
        assert!(d[1].changes.contains(&Change::StatusChanged {
            service: "Fixed".into(),
            from: Primary,
            to: Secondary
        }));
        assert!(diff(&itu, &itu).is_empty());
        assert_eq!(d[0].changes[0].to_string(), "category none → joint");
        assert_eq!(
            Change::StatusChanged {
                service: "Fixed".into(),
                from: Primary,
                to: Secondary
            }
            .to_string(),
            "Fixed: primary → secondary"
        );
    }
}
