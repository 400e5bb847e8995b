//! Emergency orders and the status of every assignment at a time.
//!
//! The law allows priority or suspension only within a declared emergency,
//! bounded in time and territory. An [`Order`] names the emergency, the
//! authority, the bands, a territory (a GeoJSON polygon or multipolygon,
//! WGS 84 longitude/latitude), a start and a mandatory end, and an action:
//! suspend every assignment there, or give priority to listed users. An
//! order is in force on `[start, end)` and reverts by itself at its end.
//!
//! Orders are kept in an append-only journal (a JSON file): every entry
//! carries its sequence number, when it was recorded, and a SHA-256 chain
//! over the previous entry's hash and its own canonical JSON, so an altered,
//! removed or reordered entry is detected when the journal is read.

use std::path::Path;

use chrono::{DateTime, Utc};
use geo::{Coord, Intersects, LineString, MultiPolygon, Point, Polygon};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::StationsError;
use crate::model::AssignmentStatus;
use crate::register::Register;

/// What an order does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Suspend every assignment in the bands and territory.
    Suspend,
    /// Give priority to the listed users (operator names) in the bands and territory.
    Priority {
        /// Operators given priority.
        users: Vec<String>,
    },
}

/// An emergency order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// Reference of the order (unique in the journal).
    pub id: String,
    /// The declared emergency it is made under.
    pub emergency: String,
    /// Authority making it.
    pub authority: String,
    /// Suspend or give priority.
    pub action: Action,
    /// Bands `[lower_hz, upper_hz)` it applies to.
    pub bands: Vec<(u64, u64)>,
    /// Territory, as a GeoJSON geometry (Polygon or MultiPolygon).
    pub territory: Value,
    /// In force from (inclusive).
    pub start: DateTime<Utc>,
    /// In force until (exclusive): mandatory.
    pub end: DateTime<Utc>,
}

/// An order with its territory parsed.
#[derive(Debug, Clone)]
pub struct ParsedOrder {
    /// The order.
    pub order: Order,
    /// Its territory.
    pub area: MultiPolygon<f64>,
}

impl ParsedOrder {
    /// True when in force at `at`.
    pub fn in_force(&self, at: DateTime<Utc>) -> bool {
        self.order.start <= at && at < self.order.end
    }

    /// True when the order covers a station at (lat, lon) with this occupied band.
    pub fn covers(&self, lat_deg: f64, lon_deg: f64, lower_hz: u64, upper_hz: u64) -> bool {
        self.order
            .bands
            .iter()
            .any(|&(lo, hi)| lo.max(lower_hz) < hi.min(upper_hz))
            && self.area.intersects(&Point::new(lon_deg, lat_deg))
    }
}

fn order_error(message: impl Into<String>) -> StationsError {
    StationsError::Order(message.into())
}

fn ring(value: &Value, what: &str) -> Result<LineString<f64>, StationsError> {
    let points = value
        .as_array()
        .ok_or_else(|| order_error(format!("{what}: expected an array of [lon, lat] positions")))?;
    let coords = points
        .iter()
        .map(|p| {
            let pair = p.as_array().filter(|a| a.len() >= 2);
            let lon = pair.and_then(|a| a[0].as_f64());
            let lat = pair.and_then(|a| a[1].as_f64());
            match (lon, lat) {
                (Some(x), Some(y))
                    if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) =>
                {
                    Ok(Coord { x, y })
                }
                _ => Err(order_error(format!(
                    "{what}: expected a [lon, lat] position in degrees, found {p}"
                ))),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    if coords.len() < 4 || coords.first() != coords.last() {
        return Err(order_error(format!(
            "{what}: expected a closed ring of at least 4 positions (first = last), found {} positions",
            coords.len()
        )));
    }
    Ok(LineString::new(coords))
}

fn polygon(value: &Value, what: &str) -> Result<Polygon<f64>, StationsError> {
    let rings = value
        .as_array()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| order_error(format!("{what}: expected an array of rings")))?;
    let exterior = ring(&rings[0], what)?;
    let holes = rings[1..]
        .iter()
        .map(|r| ring(r, what))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Polygon::new(exterior, holes))
}

/// Parses a GeoJSON territory: a Polygon or MultiPolygon geometry, a
/// Feature with one, or a FeatureCollection of them (their union).
///
/// ```
/// let t = serde_json::json!({"type": "Polygon", "coordinates":
///     [[[74.0, 42.5], [75.0, 42.5], [75.0, 43.0], [74.0, 43.0], [74.0, 42.5]]]});
/// let area = stations::emergency::parse_territory(&t).unwrap();
/// assert_eq!(area.0.len(), 1);
/// assert!(stations::emergency::parse_territory(&serde_json::json!({"type": "Point"})).is_err());
/// ```
pub fn parse_territory(value: &Value) -> Result<MultiPolygon<f64>, StationsError> {
    let kind = value.get("type").and_then(Value::as_str).unwrap_or("");
    match kind {
        "Polygon" => Ok(MultiPolygon::new(vec![polygon(
            value.get("coordinates").unwrap_or(&Value::Null),
            "territory polygon",
        )?])),
        "MultiPolygon" => {
            let polys = value
                .get("coordinates")
                .and_then(Value::as_array)
                .filter(|p| !p.is_empty())
                .ok_or_else(|| {
                    order_error("territory multipolygon: expected an array of polygons")
                })?;
            Ok(MultiPolygon::new(
                polys
                    .iter()
                    .map(|p| polygon(p, "territory multipolygon"))
                    .collect::<Result<_, _>>()?,
            ))
        }
        "Feature" => parse_territory(value.get("geometry").unwrap_or(&Value::Null)),
        "FeatureCollection" => {
            let features = value
                .get("features")
                .and_then(Value::as_array)
                .filter(|f| !f.is_empty())
                .ok_or_else(|| {
                    order_error("territory: expected a FeatureCollection with features")
                })?;
            let mut all = Vec::new();
            for f in features {
                all.extend(parse_territory(f)?.0);
            }
            Ok(MultiPolygon::new(all))
        }
        other => Err(order_error(format!(
            "territory: expected a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection, found type {other:?}"
        ))),
    }
}

/// Checks an order on its own: non-blank texts, bands, end after start,
/// a territory, users for a priority order.
pub fn validate(order: &Order) -> Result<ParsedOrder, StationsError> {
    for (field, text) in [
        ("id", &order.id),
        ("emergency", &order.emergency),
        ("authority", &order.authority),
    ] {
        if text.trim().is_empty() {
            return Err(order_error(format!(
                "order: expected a non-blank {field}, found {text:?}"
            )));
        }
    }
    if order.end <= order.start {
        return Err(order_error(format!(
            "order {}: expected an end after the start {}, found {}",
            order.id, order.start, order.end
        )));
    }
    if order.bands.is_empty() {
        return Err(order_error(format!(
            "order {}: expected at least one band",
            order.id
        )));
    }
    for &(lo, hi) in &order.bands {
        if lo >= hi || hi > allocation_table::edition::RADIO_WAVES_UPPER_HZ {
            return Err(order_error(format!(
                "order {}: expected a band lower < upper ≤ 3000 GHz, found {lo} – {hi} Hz",
                order.id
            )));
        }
    }
    if let Action::Priority { users } = &order.action
        && users.iter().all(|u| u.trim().is_empty())
    {
        return Err(order_error(format!(
            "order {}: a priority order must list the users it gives priority to",
            order.id
        )));
    }
    let area = parse_territory(&order.territory)?;
    Ok(ParsedOrder {
        order: order.clone(),
        area,
    })
}

/// One entry of the orders journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Sequence number, from 1.
    pub seq: u64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The order.
    pub order: Order,
    /// Hash of the previous entry (64 zeros for the first), hex.
    pub prev: String,
    /// SHA-256 of `prev` and this entry's canonical JSON (seq, recorded_at, order), hex.
    pub hash: String,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const FORMAT: &str = "spectra-orders/1";

fn entry_hash(
    prev: &str,
    seq: u64,
    recorded_at: &DateTime<Utc>,
    order: &Order,
) -> Result<String, StationsError> {
    let body = serde_json::to_vec(&(seq, recorded_at, order))
        .map_err(|e| order_error(format!("order: cannot serialise: {e}")))?;
    let mut h = Sha256::new();
    h.update(b"spectra-orders\0");
    h.update(prev.as_bytes());
    h.update((body.len() as u64).to_be_bytes());
    h.update(&body);
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[derive(Serialize, Deserialize)]
struct JournalFile {
    format: String,
    entries: Vec<Entry>,
}

/// The journal of emergency orders.
#[derive(Debug, Clone, Default)]
pub struct Orders {
    /// Entries in order.
    pub entries: Vec<Entry>,
    /// Their orders, parsed.
    pub parsed: Vec<ParsedOrder>,
}

impl Orders {
    /// Reads and verifies a journal; a missing file is an empty journal.
    pub fn load(path: &Path) -> Result<Orders, StationsError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Orders::default()),
            Err(source) => {
                return Err(StationsError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let file: JournalFile =
            serde_json::from_slice(&bytes).map_err(|e| StationsError::Unreadable {
                file: path.display().to_string(),
                message: format!("expected an orders journal ({FORMAT}): {e}"),
            })?;
        if file.format != FORMAT {
            return Err(StationsError::Unreadable {
                file: path.display().to_string(),
                message: format!("expected format {FORMAT:?}, found {:?}", file.format),
            });
        }
        let mut prev = GENESIS.to_owned();
        let mut parsed = Vec::with_capacity(file.entries.len());
        for (i, e) in file.entries.iter().enumerate() {
            let expected_seq = i as u64 + 1;
            let tampered = |detail: String| StationsError::Tampered {
                path: path.to_path_buf(),
                detail,
            };
            if e.seq != expected_seq {
                return Err(tampered(format!(
                    "entry {} has seq {}",
                    expected_seq, e.seq
                )));
            }
            if e.prev != prev || entry_hash(&prev, e.seq, &e.recorded_at, &e.order)? != e.hash {
                return Err(tampered(format!(
                    "entry {} (order {:?}) does not match its hash",
                    e.seq, e.order.id
                )));
            }
            prev.clone_from(&e.hash);
            parsed.push(validate(&e.order)?);
        }
        Ok(Orders {
            entries: file.entries,
            parsed,
        })
    }

    /// Validates `order`, appends it to the journal at `path` (created if
    /// missing) and rewrites the file atomically. The journal is verified
    /// first; an order id already used is refused.
    pub fn append(
        path: &Path,
        order: Order,
        recorded_at: DateTime<Utc>,
    ) -> Result<Entry, StationsError> {
        // Appenders take turns: an advisory lock on a side file that is never
        // replaced (the journal itself is replaced by each atomic rename), held
        // from reading the journal to renaming its new version.
        let lock_path = path.with_file_name(format!(
            "{}.lock",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("orders")
        ));
        let io = |source| StationsError::Io {
            path: lock_path.clone(),
            source,
        };
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io)?;
        lock.lock().map_err(io)?;
        let mut orders = Orders::load(path)?;
        let parsed = validate(&order)?;
        if orders.entries.iter().any(|e| e.order.id == order.id) {
            return Err(order_error(format!(
                "order {}: the id is already in the journal",
                order.id
            )));
        }
        let prev = orders
            .entries
            .last()
            .map_or_else(|| GENESIS.to_owned(), |e| e.hash.clone());
        let seq = orders.entries.len() as u64 + 1;
        let hash = entry_hash(&prev, seq, &recorded_at, &order)?;
        let entry = Entry {
            seq,
            recorded_at,
            order,
            prev,
            hash,
        };
        orders.entries.push(entry.clone());
        orders.parsed.push(parsed);
        let file = JournalFile {
            format: FORMAT.to_owned(),
            entries: orders.entries,
        };
        let bytes = serde_json::to_vec_pretty(&file)
            .map_err(|e| order_error(format!("orders journal: cannot serialise: {e}")))?;
        tabular::write_atomic(path, &bytes)?;
        drop(lock);
        Ok(entry)
    }
}

/// The state of an assignment at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Licensed, valid, and no order touches it.
    Active,
    /// Given priority by an emergency order in force.
    Prioritised,
    /// Suspended by an emergency order in force.
    SuspendedByOrder,
    /// Suspended in the register itself.
    Suspended,
    /// Planned, not licensed.
    Planned,
    /// Licensed but outside its validity dates.
    NotValid,
}

impl State {
    /// The snake-case name.
    pub fn name(self) -> &'static str {
        match self {
            State::Active => "active",
            State::Prioritised => "prioritised",
            State::SuspendedByOrder => "suspended_by_order",
            State::Suspended => "suspended",
            State::Planned => "planned",
            State::NotValid => "not_valid",
        }
    }
}

/// The state of one assignment at a time, with the order that decides it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusRow {
    /// Assignment id.
    pub id: String,
    /// Operator.
    pub operator: String,
    /// State.
    pub state: State,
    /// The order deciding it, if any.
    pub order: Option<String>,
    /// When that order ends (the assignment reverts then).
    pub until: Option<DateTime<Utc>>,
}

/// The state of every assignment at `at`: priority orders in force win for
/// the users they list, then suspensions; orders touch only assignments that
/// are otherwise active (licensed and valid).
pub fn status_at(register: &Register, orders: &Orders, at: DateTime<Utc>) -> Vec<StatusRow> {
    let in_force: Vec<&ParsedOrder> = orders.parsed.iter().filter(|o| o.in_force(at)).collect();
    register
        .assignments
        .iter()
        .map(|a| {
            let base = match a.status {
                AssignmentStatus::Suspended => State::Suspended,
                AssignmentStatus::Planned => State::Planned,
                AssignmentStatus::Licensed if !a.valid_on(at.date_naive()) => State::NotValid,
                AssignmentStatus::Licensed => State::Active,
            };
            let mut row = StatusRow {
                id: a.id.clone(),
                operator: a.operator.clone(),
                state: base,
                order: None,
                until: None,
            };
            if base != State::Active {
                return row;
            }
            let (lo, hi) = a.occupied_hz();
            let (lat, lon) = (a.station.site.lat_deg, a.station.site.lon_deg);
            let touching: Vec<&&ParsedOrder> =
                in_force.iter().filter(|o| o.covers(lat, lon, lo, hi)).collect();
            let priority = touching.iter().find(|o| {
                matches!(&o.order.action, Action::Priority { users } if users.iter().any(|u| u == &a.operator))
            });
            let suspend = touching
                .iter()
                .find(|o| o.order.action == Action::Suspend);
            if let Some(o) = priority {
                row.state = State::Prioritised;
                row.order = Some(o.order.id.clone());
                row.until = Some(o.order.end);
            } else if let Some(o) = suspend {
                row.state = State::SuspendedByOrder;
                row.order = Some(o.order.id.clone());
                row.until = Some(o.order.end);
            }
            row
        })
        .collect()
}
