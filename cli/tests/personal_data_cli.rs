//! End-to-end: the identity vault's key, the online verdict (`imei info`,
//! `imei check`) from the findings, `registry import-pairings`, the
//! operators' notification and exception lists, `registry subject-access`
//! (one section per purpose, `--why` required), `registry erase` and
//! `registry retention`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{spectra, stderr_of_usage_error, stdout_of};

#[test]
fn vault_lists_subject_access_erasure_and_retention() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let (db, network, vault) = (path("r.duckdb"), path("network.key"), path("vault.key"));
    for k in [&network, &vault] {
        stdout_of(&["registry", "new-key", "--out", k]);
    }
    stdout_of(&[
        "registry",
        "add-operator",
        "alfa",
        "--mcc-mnc",
        "43701",
        "--registry",
        &db,
    ]);
    let data = path("alfa_20261002_20261002.csv");
    let mut text = String::from("date,imei,imsi,msisdn,rat\n");
    for s in 0..3 {
        text.push_str(&format!(
            "2026-10-02,35693803564380,43701000000010{s},99670000010{s},4G\n"
        ));
    }
    for i in 1..10 {
        text.push_str(&format!(
            "2026-10-02,3569380356438{i},4370100000000{i:02},9967000000{i:02},4G\n"
        ));
    }
    std::fs::write(&data, text).unwrap();
    let import = |vault_key: &str| {
        spectra(&[
            "registry",
            "import-operator-data",
            &data,
            "--operator",
            "alfa",
            "--network-key-file",
            &network,
            "--vault-key-file",
            vault_key,
            "--registry",
            &db,
        ])
    };
    // One key for two purposes is refused.
    let same = import(&network);
    assert_eq!(same.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&same.stderr).contains("its own key"));
    assert!(import(&vault).status.success());
    let conditions = path("c.toml");
    std::fs::write(
        &conditions,
        "[[condition]]\nlabel = \"duplicate\"\nreason = \"Many SIMs\"\ngrace_days = 60\nblocking = true\n\
         [[condition.dimension]]\nmodule = \"duplicate\"\nthreshold = 3\nperiod_days = 10\n",
    )
    .unwrap();
    stdout_of(&[
        "registry",
        "classify",
        "--conditions",
        &conditions,
        "--date",
        "2026-10-05",
        "--registry",
        &db,
    ]);
    // The online verdict reads the findings: grey in grace, blocked from the block date.
    let v = stdout_of(&[
        "imei",
        "info",
        "35693803564380",
        "--registry",
        &db,
        "--date",
        "2026-10-05",
    ]);
    assert!(
        v.contains("verdict: grey") && v.contains("to be blocked on 2026-12-04"),
        "{v}"
    );
    let v = stdout_of(&[
        "imei",
        "info",
        "35693803564380",
        "--registry",
        &db,
        "--date",
        "2026-12-04",
    ]);
    assert!(
        v.contains("verdict: blocked") && v.contains("Many SIMs"),
        "{v}"
    );
    let input = path("check.csv");
    std::fs::write(&input, "imei\n35693803564380\n35693803564381\n").unwrap();
    let v = stdout_of(&[
        "imei",
        "check",
        &input,
        "--registry",
        &db,
        "--date",
        "2026-12-04",
        "--out",
        &path("v.csv"),
    ]);
    assert!(v.contains("2 rows: 0 allowed, 1 grey, 1 blocked"), "{v}");
    let pairs = path("pairs.csv");
    std::fs::write(&pairs, "imei,imsi\n35693803564381,437010000000001\n").unwrap();
    let stdout = stdout_of(&[
        "registry",
        "import-pairings",
        &pairs,
        "--network-key-file",
        &network,
        "--vault-key-file",
        &vault,
        "--registry",
        &db,
    ]);
    assert!(
        stdout.contains("pairing list replaced by 1 pairs"),
        "{stdout}"
    );
    let lists = path("lists");
    std::fs::create_dir(&lists).unwrap();
    let stdout = stdout_of(&[
        "registry",
        "lists",
        "--date",
        "2026-10-05",
        "--out",
        &lists,
        "--vault-key-file",
        &vault,
        "--registry",
        &db,
    ]);
    assert!(
        stdout.contains("0 IMEIs blocked, 3 notifications, 1 exceptions"),
        "{stdout}"
    );
    let notes = std::fs::read_to_string(dir.path().join("lists/notifications_alfa.csv")).unwrap();
    assert!(
        notes.contains("35693803564380,437010000000101,996700000101,2026-12-04,Many SIMs"),
        "{notes}"
    );
    let ex = std::fs::read_to_string(dir.path().join("lists/exceptions_alfa.csv")).unwrap();
    assert_eq!(ex, "imei,imsi\n35693803564381,437010000000001\n");

    // Subject access needs a subject and a why.
    assert!(
        stderr_of_usage_error(&[
            "registry",
            "subject-access",
            "--why",
            "x",
            "--registry",
            &db
        ])
        .contains("--imsi")
    );
    assert!(
        stderr_of_usage_error(&[
            "registry",
            "subject-access",
            "--imsi",
            "437010000000101",
            "--registry",
            &db
        ])
        .contains("--why")
    );
    let access = |out: &str| {
        stdout_of(&[
            "registry",
            "subject-access",
            "--imsi",
            "437010000000101",
            "--why",
            "SAR-1",
            "--network-key-file",
            &network,
            "--vault-key-file",
            &vault,
            "--out",
            out,
            "--registry",
            &db,
        ]);
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        v
    };
    let before = access(&path("sar1.json"));
    assert!(before.get("owner_registration").is_none(), "{before}");
    let n = &before["network_monitoring"];
    assert_eq!(n["vault"][0][1], "437010000000101");
    assert_eq!(n["vault"][0][2], "996700000101");
    assert_eq!(n["findings"][0]["condition"], "duplicate");

    let stdout = stdout_of(&[
        "registry",
        "erase",
        "--imsi",
        "437010000000101",
        "--why",
        "ERA-1",
        "--network-key-file",
        &network,
        "--registry",
        &db,
    ]);
    assert!(
        stdout.contains("destruction act 1: erasure of network_monitoring data"),
        "{stdout}"
    );
    assert!(stdout.contains("1 vault slot zeroed"), "{stdout}");
    let after = access(&path("sar2.json"));
    assert_eq!(after["network_monitoring"]["vault"], serde_json::json!([]));
    assert_eq!(
        after["network_monitoring"]["sightings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let stdout = stdout_of(&[
        "registry",
        "retention",
        "--months",
        "1",
        "--date",
        "2026-12-01",
        "--registry",
        &db,
    ]);
    assert!(stdout.contains("destruction act 2: retention"), "{stdout}");
    assert!(stdout.contains("12 triplet rows"), "{stdout}");
    assert!(
        stderr_of_usage_error(&[
            "registry",
            "retention",
            "--months",
            "0",
            "--date",
            "2026-12-01",
            "--registry",
            &db
        ])
        .contains("0")
    );
}
