//! Fixtures of the service's integration tests: a small snapshot (one
//! white device, one black device paired with one IMSI, a clone in grace),
//! its network key, and a server started on loopback ports.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use chrono::NaiveDate;
use imei_core::findings::OpenFinding;
use imei_core::index::RegistryIndex;
use imei_core::pseudonym::{PseudonymKey, write_key_file};
use imei_core::purpose::{Field, network_pseudonym};
use imei_core::snapshot::{Snapshot, SnapshotMeta};
use imei_core::tac::{TacDb, TacRecord};
use imei_core::verdict::{DeviceStatus, ReasonMask, pack};
use spectra_eir::Config;
use spectra_eir::config::token_sha256_hex;

/// Registered and allowed.
pub const WHITE: &str = "356938035643809";
/// On the black list.
pub const BLACK: &str = "490154203237518";
/// A clone in grace (a finding blocking in the future).
pub const CLONE: &str = "352099001761481";
/// Not in the registry, TAC known.
pub const UNKNOWN: &str = "356938035643817";
pub const PAIRED_IMSI: &str = "437010000000001";

pub fn key_of(imei: &str) -> u64 {
    imei[..14].parse().unwrap()
}

pub fn network_key() -> PseudonymKey {
    PseudonymKey::new(&[9u8; 32]).unwrap()
}

pub fn snapshot(black_status: DeviceStatus) -> Snapshot {
    let index = RegistryIndex::from_pairs(vec![
        (key_of(WHITE), pack(DeviceStatus::White, ReasonMask(0))),
        (key_of(BLACK), pack(black_status, ReasonMask(0))),
    ]);
    let tacs = TacDb::from_records([35693803u32, 49015420, 35209900].map(|tac| TacRecord {
        tac,
        manufacturer: "Acme".into(),
        model: format!("M{tac}"),
        source: "gsma".into(),
        extra: Default::default(),
    }));
    let findings = vec![OpenFinding {
        key: key_of(CLONE),
        block_date: NaiveDate::from_ymd_opt(2999, 1, 1).unwrap(),
        reasons: "The IMEI is used with many different SIM cards".into(),
        run_id: 4,
    }];
    let meta = SnapshotMeta {
        created_at: chrono::Utc::now().to_rfc3339(),
        source: "test".into(),
        rule_version: "conditions-sha256:abc".into(),
        network_key_fingerprint: network_key().fingerprint(),
        audit_tip: "1:00".into(),
    };
    let pairs = vec![(
        key_of(BLACK),
        network_pseudonym(&network_key(), Field::Imsi, PAIRED_IMSI),
    )];
    Snapshot::new(meta, index, tacs, findings, pairs)
}

pub fn write_snapshot(path: &Path, s: &Snapshot) {
    let mut bytes = Vec::new();
    s.encode(&mut bytes).unwrap();
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).unwrap();
    std::fs::rename(tmp, path).unwrap();
}

pub struct Server {
    pub running: spectra_eir::Running,
    pub base: String,
    _dir: tempfile::TempDir,
    pub snapshot: std::path::PathBuf,
}

pub async fn serve(extra: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("r.snapshot");
    write_snapshot(&snap, &snapshot(DeviceStatus::Black));
    write_key_file(&dir.path().join("network.key"), &network_key()).unwrap();
    let text = format!(
        r#"
snapshot = "r.snapshot"
network_key_file = "network.key"
reload_interval_ms = 50
{extra}
[http]
listen = "127.0.0.1:0"
max_uri_bytes = 512
max_body_bytes = 4096
max_batch = 3
[[client]]
name = "amf"
token_sha256 = "{}"
scopes = ["eir"]
requests_per_second = 100000
[[client]]
name = "operator"
token_sha256 = "{}"
scopes = ["operator-api", "metrics"]
requests_per_second = 100000
[[client]]
name = "slow"
token_sha256 = "{}"
scopes = ["eir"]
requests_per_second = 1
burst = 2
"#,
        token_sha256_hex("t-amf"),
        token_sha256_hex("t-ops"),
        token_sha256_hex("t-slow")
    );
    let config = Config::parse(&text, "serve.toml", dir.path()).unwrap();
    let running = spectra_eir::start(config).await.unwrap();
    let base = format!("http://{}", running.http_addr);
    Server {
        running,
        base,
        _dir: dir,
        snapshot: snap,
    }
}
