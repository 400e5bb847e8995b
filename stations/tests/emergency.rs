//! Emergency orders: switching on and off by time and territory, priority
//! over suspension, validation, the tamper-evident journal; and the impact
//! of a conversion on the register.

use allocation_table::Category;
use allocation_table::convert::Conversion;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use stations::StationsError;
use stations::emergency::{Action, Order, Orders, State, status_at};
use stations::impact::{Change, conversion_impact};
use stations::model::{Assignment, AssignmentStatus};
use stations::register::Register;

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A square around Bishkek (74.4–74.8 E, 42.7–43.0 N).
fn bishkek() -> serde_json::Value {
    json!({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates":
        [[[74.4, 42.7], [74.8, 42.7], [74.8, 43.0], [74.4, 43.0], [74.4, 42.7]]]}})
}

fn order(id: &str, action: Action, start: DateTime<Utc>, end: DateTime<Utc>) -> Order {
    Order {
        id: id.into(),
        emergency: "Flood, Chui region, decree 12".into(),
        authority: "Ministry of Emergency Situations".into(),
        action,
        bands: vec![(450_000_000, 470_000_000)],
        territory: bishkek(),
        start,
        end,
    }
}

fn register() -> Register {
    let inside = Assignment::example("in", 460_000_000, "12K5F3E"); // at Bishkek
    let mut outside = Assignment::example("out", 460_000_000, "12K5F3E");
    outside.station.site.lat_deg = 40.5; // Osh
    outside.station.site.lon_deg = 72.8;
    let other_band = Assignment::example("band", 900_000_000, "200KG7W");
    let mut rescue = Assignment::example("mes", 465_000_000, "12K5F3E");
    rescue.operator = "MES".into();
    let mut planned = Assignment::example("plan", 460_000_000, "12K5F3E");
    planned.status = AssignmentStatus::Planned;
    Register::new(vec![inside, outside, other_band, rescue, planned])
}

fn states(reg: &Register, orders: &Orders, at: DateTime<Utc>) -> Vec<State> {
    status_at(reg, orders, at)
        .into_iter()
        .map(|r| r.state)
        .collect()
}

#[test]
fn orders_switch_on_and_off_by_time_and_territory() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("orders.json");
    Orders::append(
        &path,
        order("O-1", Action::Suspend, t(1, 8), t(3, 8)),
        t(1, 7),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Orders::append(
        &path,
        order(
            "O-2",
            Action::Priority {
                users: vec!["MES".into()],
            },
            t(1, 8),
            t(5, 0),
        ),
        t(1, 7),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let orders = Orders::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let reg = register();
    use State::*;
    // Before: nothing in force.
    assert_eq!(
        states(&reg, &orders, t(1, 7)),
        vec![Active, Active, Active, Active, Planned]
    );
    // During: inside the territory and the band suspended, the listed user prioritised.
    assert_eq!(
        states(&reg, &orders, t(2, 0)),
        vec![SuspendedByOrder, Active, Active, Prioritised, Planned]
    );
    let rows = status_at(&reg, &orders, t(2, 0));
    assert_eq!(rows[0].order.as_deref(), Some("O-1"));
    assert_eq!(rows[0].until, Some(t(3, 8)));
    // The suspension reverts by itself at its end (exclusive); the priority lasts longer.
    assert_eq!(
        states(&reg, &orders, t(3, 8)),
        vec![Active, Active, Active, Prioritised, Planned]
    );
    assert_eq!(states(&reg, &orders, t(5, 0))[3], Active);
}

#[test]
fn orders_are_validated() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("orders.json");
    let bad = [
        order("O", Action::Suspend, t(3, 0), t(2, 0)), // end before start
        order("O", Action::Priority { users: vec![] }, t(1, 0), t(2, 0)),
        Order {
            authority: " ".into(),
            ..order("O", Action::Suspend, t(1, 0), t(2, 0))
        },
        Order {
            bands: vec![(5, 5)],
            ..order("O", Action::Suspend, t(1, 0), t(2, 0))
        },
        Order {
            territory: json!({"type": "Point", "coordinates": [74.5, 42.8]}),
            ..order("O", Action::Suspend, t(1, 0), t(2, 0))
        },
        Order {
            territory: json!({"type": "Polygon", "coordinates": [[[74.4, 42.7], [74.8, 42.7], [74.4, 42.7]]]}),
            ..order("O", Action::Suspend, t(1, 0), t(2, 0))
        },
    ];
    for o in bad {
        assert!(
            matches!(
                Orders::append(&path, o.clone(), t(1, 0)),
                Err(StationsError::Order(_))
            ),
            "{o:?}"
        );
    }
    assert!(!path.exists(), "a refused order writes nothing");
    Orders::append(
        &path,
        order("O", Action::Suspend, t(1, 0), t(2, 0)),
        t(1, 0),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        Orders::append(
            &path,
            order("O", Action::Suspend, t(1, 0), t(2, 0)),
            t(1, 0)
        )
        .is_err(),
        "ids are unique"
    );
}

#[test]
fn an_altered_journal_is_detected() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("orders.json");
    for (i, id) in ["A", "B", "C"].iter().enumerate() {
        Orders::append(
            &path,
            order(id, Action::Suspend, t(1, 0), t(2 + i as u32, 0)),
            t(1, 0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    // Shorten an order in the middle.
    let altered = text.replacen("2026-12-03T00:00:00Z", "2026-12-02T12:00:00Z", 1);
    assert_ne!(altered, text);
    std::fs::write(&path, altered).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        Orders::load(&path),
        Err(StationsError::Tampered { .. })
    ));
    // Dropping the last entry leaves a valid shorter chain; dropping the first does not.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    if let Some(e) = v["entries"].as_array_mut() {
        e.remove(0);
    }
    std::fs::write(&path, v.to_string()).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        Orders::load(&path),
        Err(StationsError::Tampered { .. })
    ));
}

#[test]
fn conversion_impact_lists_what_changes() {
    let conv = |from, to| Conversion {
        lower_hz: 455_000_000,
        upper_hz: 465_000_000,
        from,
        to,
        reference: "Decree 7".into(),
        authority: "Cabinet".into(),
        effective_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
    };
    let mut gov = Assignment::example("gov", 460_000_000, "12K5F3E");
    gov.category = Some(Category::Government);
    let civ = Assignment::example("civ", 460_000_000, "12K5F3E");
    let mut edge = Assignment::example("edge", 465_000_000, "25K0F3E");
    edge.category = Some(Category::Government);
    let mut unknown = Assignment::example("unk", 456_000_000, "12K5F3E");
    unknown.category = None;
    let far = Assignment::example("far", 470_000_000, "12K5F3E");
    let reg = Register::new(vec![gov, civ, edge, unknown, far]);
    let to_civil = conversion_impact(&conv(Category::Government, Category::Civil), &reg);
    let got: Vec<(&str, Change, bool)> = to_civil
        .iter()
        .map(|i| (i.id.as_str(), i.change, i.partial))
        .collect();
    assert_eq!(
        got,
        vec![
            ("gov", Change::NowMismatched, false),
            ("civ", Change::NowFits, false),
            ("edge", Change::NowMismatched, true),
            ("unk", Change::Unknown, false),
        ]
    );
    assert_eq!(
        (to_civil[2].lower_hz, to_civil[2].upper_hz),
        (464_987_500, 465_000_000)
    );
    let to_joint = conversion_impact(&conv(Category::Government, Category::Joint), &reg);
    assert_eq!(to_joint[0].change, Change::StillFits);
    assert_eq!(to_joint[1].change, Change::NowFits);
    assert!(
        to_joint[0].message.contains("joint band"),
        "{}",
        to_joint[0].message
    );
}

#[test]
fn concurrent_appends_lose_no_order() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("orders.json");
    std::thread::scope(|s| {
        for i in 0..8 {
            let path = &path;
            s.spawn(move || {
                Orders::append(
                    path,
                    order(&format!("O-{i}"), Action::Suspend, t(1, 0), t(2, 0)),
                    t(1, 0),
                )
                .unwrap_or_else(|e| panic!("{e}"))
            });
        }
    });
    let orders = Orders::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(orders.entries.len(), 8);
}
