//! End-to-end: `spectra registry add-operator`, `new-key` for the network
//! purpose, and `import-operator-data` with a period taken from the file
//! name, a file refused by a safety check (exit 1, figures on stderr, the
//! good file still stored) and a missing key refused before anything opens.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{spectra, stderr_of_usage_error, stdout_of};

fn day_file(dir: &std::path::Path, name: &str, null_imeis: usize) -> String {
    let mut text = String::from("date,imei,imsi,msisdn,rat\n");
    for i in 0..20usize {
        let imei = if i < null_imeis {
            String::new()
        } else {
            format!("356938035643{i:02}")
        };
        text.push_str(&format!(
            "20261002,{imei},4370100000{i:05},99670000{i:04},LTE\n"
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn operator_data_is_imported_per_file_with_safety_checks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.duckdb");
    let db = db.to_str().unwrap();
    let key = dir.path().join("network.key");
    let key = key.to_str().unwrap();
    stdout_of(&["registry", "new-key", "--out", key]);
    let vault = dir.path().join("vault.key");
    let vault = vault.to_str().unwrap();
    stdout_of(&["registry", "new-key", "--out", vault]);
    let stdout = stdout_of(&[
        "registry",
        "add-operator",
        "alfa",
        "--mcc-mnc",
        "43701,43709",
        "--registry",
        db,
    ]);
    assert!(stdout.contains("operator alfa with MCC-MNC 43701, 43709"));

    let good = day_file(dir.path(), "alfa_20261001_20261031.csv", 0);
    let bad = day_file(dir.path(), "alfa-bad_20261001_20261031.csv", 2);
    // No key: refused before the registry is touched.
    assert!(
        stderr_of_usage_error(&[
            "registry",
            "import-operator-data",
            &good,
            "--operator",
            "alfa",
            "--registry",
            db,
        ])
        .contains("network-monitoring key")
    );

    let out = spectra(&[
        "registry",
        "import-operator-data",
        &good,
        &bad,
        "--operator",
        "alfa",
        "--network-key-file",
        key,
        "--vault-key-file",
        vault,
        "--registry",
        db,
    ]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("20 rows; null_imei 0 (0.00 %, max 5.00 %) ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("stored: 20 triplets (20 new) for 2026-10-01 to 2026-10-31"),
        "{stdout}"
    );
    assert!(stderr.contains("refused, nothing stored"), "{stderr}");
    assert!(
        stderr.contains("null_imei 2 (10.00 %, max 5.00 %) FAILED"),
        "{stderr}"
    );

    // A threshold raised on the command line lets the second file in.
    let stdout = stdout_of(&[
        "registry",
        "import-operator-data",
        &bad,
        "--operator",
        "alfa",
        "--network-key-file",
        key,
        "--vault-key-file",
        vault,
        "--max-null-imei",
        "0.1",
        "--registry",
        db,
    ]);
    assert!(stdout.contains("(0 new)"));
    // Classify on 5 October: every IMEI seen is unregistered.
    let conditions = dir.path().join("conditions.toml");
    std::fs::write(
        &conditions,
        "[[condition]]\nlabel = \"unregistered\"\nreason = \"The device is not registered\"\n\
         grace_days = 30\nmax_matching_share = 1.0\n[[condition.dimension]]\nmodule = \"not_registered\"\n",
    )
    .unwrap();
    let conditions = conditions.to_str().unwrap();
    let stdout = stdout_of(&[
        "registry",
        "classify",
        "--conditions",
        conditions,
        "--date",
        "2026-10-05",
        "--registry",
        db,
    ]);
    assert!(stdout.contains("run 1 on 2026-10-05"), "{stdout}");
    assert!(
        stdout.contains("20 IMEIs; matched unregistered 20; decisions matched 20"),
        "{stdout}"
    );
    // A conditions file with an unknown module: refused with its line.
    std::fs::write(conditions, "[[condition]]\nlabel = \"x\"\nreason = \"r\"\ngrace_days = 1\n[[condition.dimension]]\nmodule = \"clones\"\n").unwrap();
    assert!(
        stderr_of_usage_error(&[
            "registry",
            "classify",
            "--conditions",
            conditions,
            "--date",
            "2026-10-06",
            "--registry",
            db,
        ])
        .contains("line 6, field `module`")
    );
    // A share outside [0, 1] is a usage error.
    stderr_of_usage_error(&[
        "registry",
        "import-operator-data",
        &bad,
        "--operator",
        "alfa",
        "--max-null-imei",
        "5",
        "--registry",
        db,
    ]);
}

#[test]
fn a_generated_month_passes_the_safety_checks_and_is_classified() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let stdout = stdout_of(&[
        "datasets",
        "operator-data",
        "--subscribers",
        "3000",
        "--month",
        "2026-02",
        "--out-dir",
        d,
    ]);
    assert!(stdout.contains("alfa_20260201_20260228.csv: "), "{stdout}");
    assert!(
        stdout.contains("rows of operator beta (MCC-MNC 43705)"),
        "{stdout}"
    );
    // The same seed writes the same bytes.
    let first = std::fs::read(dir.path().join("alfa_20260201_20260228.csv")).unwrap();
    let again = tempfile::tempdir().unwrap();
    let a = again.path().to_str().unwrap();
    stdout_of(&[
        "datasets",
        "operator-data",
        "--subscribers",
        "3000",
        "--month",
        "2026-02",
        "--out-dir",
        a,
    ]);
    assert_eq!(
        first,
        std::fs::read(again.path().join("alfa_20260201_20260228.csv")).unwrap()
    );

    let db = dir.path().join("r.duckdb");
    let db = db.to_str().unwrap();
    let key = dir.path().join("n.key");
    let key = key.to_str().unwrap();
    stdout_of(&["registry", "new-key", "--out", key]);
    let vault = dir.path().join("vault.key");
    let vault = vault.to_str().unwrap();
    stdout_of(&["registry", "new-key", "--out", vault]);
    for (op, mcc) in [("alfa", "43701"), ("beta", "43705")] {
        stdout_of(&[
            "registry",
            "add-operator",
            op,
            "--mcc-mnc",
            mcc,
            "--registry",
            db,
        ]);
        let file = dir.path().join(format!("{op}_20260201_20260228.csv"));
        stdout_of(&[
            "registry",
            "import-operator-data",
            file.to_str().unwrap(),
            "--operator",
            op,
            "--network-key-file",
            key,
            "--vault-key-file",
            vault,
            "--registry",
            db,
        ]);
    }
    let conditions = dir.path().join("c.toml");
    std::fs::write(
        &conditions,
        "[[condition]]\nlabel = \"duplicate\"\nreason = \"Many SIMs\"\ngrace_days = 60\nblocking = true\n\
         [[condition.dimension]]\nmodule = \"duplicate\"\nthreshold = 5\nperiod_days = 28\n",
    )
    .unwrap();
    let stdout = stdout_of(&[
        "registry",
        "classify",
        "--conditions",
        conditions.to_str().unwrap(),
        "--date",
        "2026-02-28",
        "--registry",
        db,
    ]);
    // Every 200th of 3 000 subscribers is on a clone: 12 SIMs on the
    // first clone IMEI, 3 on the second.
    assert!(stdout.contains("matched duplicate 1;"), "{stdout}");

    // 28 February + 60 days of grace: blocked from 29 April.
    let lists = dir.path().join("lists");
    std::fs::create_dir(&lists).unwrap();
    let lists = lists.to_str().unwrap();
    for (d, n) in [("2026-04-28", 0), ("2026-04-29", 1)] {
        let stdout = stdout_of(&[
            "registry",
            "lists",
            "--date",
            d,
            "--out",
            lists,
            "--vault-key-file",
            vault,
            "--registry",
            db,
        ]);
        assert!(stdout.contains(&format!("{n} IMEIs blocked")), "{stdout}");
    }
    let stdout = stdout_of(&[
        "registry",
        "lists",
        "--date",
        "2026-04-29",
        "--out",
        lists,
        "--base",
        "1",
        "--vault-key-file",
        vault,
        "--registry",
        db,
    ]);
    assert!(stdout.contains("delta against 1: blocked 1"), "{stdout}");
    assert!(stdout.contains("manifest.json"), "{stdout}");
}
