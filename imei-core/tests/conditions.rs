//! Conditions files: the issue's example works as written; each kind of bad
//! file is refused with its line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use imei_core::conditions::{Conditions, Module};

const EXAMPLE: &str = r#"[[condition]]
label = "duplicate"
reason = "The IMEI is used with many different SIM cards"
grace_days = 60
blocking = true
sticky = false
max_matching_share = 0.1
[[condition.dimension]]
module = "duplicate"          # also: malformed, gsma_not_found, stolen, not_registered, duplicate_daily_avg
threshold = 10
period_days = 120
# invert = true               # negates this dimension

[[condition]]
label = "unregistered_known_type"
reason = "The device is not registered"
grace_days = 30
blocking = true
[[condition.dimension]]
module = "not_registered"
[[condition.dimension]]
module = "gsma_not_found"
invert = true
"#;

#[test]
fn the_example_parses_with_its_values_and_a_stable_hash() {
    let c = Conditions::parse(EXAMPLE, "c.toml").unwrap();
    assert_eq!(c.conditions.len(), 2);
    let d = &c.conditions[0];
    assert_eq!(
        (d.label.as_str(), d.grace_days, d.blocking, d.sticky),
        ("duplicate", 60, true, false)
    );
    assert_eq!(d.max_matching_share, 0.1);
    let dim = &d.dimensions[0];
    assert_eq!(
        (dim.module, dim.threshold, dim.period_days, dim.invert),
        (Module::Duplicate, 10.0, 120, false)
    );
    let u = &c.conditions[1];
    assert_eq!(u.dimensions[1].module, Module::GsmaNotFound);
    assert!(u.dimensions[1].invert);
    assert!(!u.sticky);
    // The rule version changes with any byte of the file.
    let again = Conditions::parse(EXAMPLE, "c.toml").unwrap();
    assert_eq!(c.sha256, again.sha256);
    let edited = Conditions::parse(&EXAMPLE.replace("60", "61"), "c.toml").unwrap();
    assert_ne!(c.sha256, edited.sha256);
}

/// The error for `text`, which must name the file, `line` and `field`.
fn refused(text: &str, line: u64, field: &str) -> String {
    let e = Conditions::parse(text, "c.toml").unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("c.toml, line {line}, field `{field}`")),
        "{e}"
    );
    e
}

#[test]
fn bad_files_are_refused_with_the_line() {
    let e = refused(
        &EXAMPLE.replace("module = \"duplicate\" ", "module = \"clones\" "),
        9,
        "module",
    );
    assert!(e.contains("\"clones\""), "{e}");
    let e = refused(
        &EXAMPLE.replace("many different SIM", "many | different SIM"),
        3,
        "reason",
    );
    assert!(e.contains('|'), "{e}");
    let e = refused(
        &EXAMPLE.replace("period_days = 120", "period_days = -5"),
        11,
        "period_days",
    );
    assert!(e.contains("-5"), "{e}");
    refused(
        &EXAMPLE.replace("grace_days = 30", "grace_days = -1"),
        17,
        "grace_days",
    );
    refused(
        &EXAMPLE.replace("max_matching_share = 0.1", "max_matching_share = 1.5"),
        7,
        "max_matching_share",
    );
    refused(&EXAMPLE.replace("threshold = 10\n", ""), 9, "module");
    refused(
        &EXAMPLE.replace(
            "label = \"unregistered_known_type\"",
            "label = \"duplicate\"",
        ),
        15,
        "label",
    );
    refused(
        &EXAMPLE.replace(
            "blocking = true\nsticky",
            "blocking = true\nstiky = 1\nsticky",
        ),
        6,
        "toml",
    );
    refused(
        "[[condition]]\nlabel = \"x\"\nreason = \"r\"\ngrace_days = 1\n",
        2,
        "dimension",
    );
    refused("[[condition]\n", 1, "toml");
}
