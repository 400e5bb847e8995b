//! Publishing the EIR snapshot ([`imei_core::snapshot`]): everything the
//! online check needs, read from the store in one go and written atomically
//! (temporary file in the same directory, fsync, rename), so a running
//! `spectra serve` either keeps the previous snapshot or swaps in the whole
//! new one, and the store stays the only writer.

use std::path::Path;

use chrono::NaiveDate;
use imei_core::identity::classify;
use imei_core::purpose::Purpose;
use imei_core::snapshot::{Snapshot, SnapshotMeta};

use crate::chain::{Chain, hex32, load_tip};
use crate::error::RegistryError;
use crate::operators::purpose_meta;
use crate::staging::query_all;
use crate::store::Registry;

/// What a publication wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Published {
    /// Its metadata.
    pub meta: SnapshotMeta,
    /// Devices in the registry index.
    pub devices: u64,
    /// TACs.
    pub tacs: u64,
    /// Open blocking findings.
    pub findings: u64,
    /// Pairs on the pairing list.
    pub pairs: u64,
    /// Bytes written.
    pub bytes: u64,
}

impl Registry {
    /// The snapshot of the registry as it stands, with the golden list of
    /// `date` applied to the findings.
    pub fn snapshot(&self, date: NaiveDate) -> Result<Snapshot, RegistryError> {
        let ctx = "reading the pairing list";
        let (findings, rule_version) = self.open_findings(date)?;
        let rows: Vec<(String, String)> = query_all(
            &self.conn,
            "SELECT imei, imsi_p FROM pairing_list ORDER BY ALL",
            [],
            ctx,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let pairs = rows
            .into_iter()
            .filter_map(|(imei, imsi_p)| classify(&imei).key.map(|k| (k, imsi_p)))
            .collect();
        let tip = load_tip(&self.conn, Chain::Audit)?;
        let meta = SnapshotMeta {
            created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            source: self.path().display().to_string(),
            rule_version,
            network_key_fingerprint: self
                .meta(&purpose_meta(Purpose::NetworkMonitoring))?
                .unwrap_or_default(),
            audit_tip: format!("{}:{}", tip.seq, hex32(&tip.hash)),
        };
        Ok(Snapshot::new(
            meta,
            self.index().clone(),
            self.tacs().clone(),
            findings,
            pairs,
        ))
    }

    /// Writes the snapshot of `date` to `path` atomically and audits it.
    pub fn publish(&mut self, path: &Path, date: NaiveDate) -> Result<Published, RegistryError> {
        let snap = self.snapshot(date)?;
        let mut bytes = Vec::new();
        snap.encode(&mut bytes)?;
        tabular::write_atomic(path, &bytes)?;
        let published = Published {
            meta: snap.meta.clone(),
            devices: snap.index.len() as u64,
            tacs: snap.tacs.len() as u64,
            findings: snap.findings.len() as u64,
            pairs: snap.pair_count() as u64,
            bytes: bytes.len() as u64,
        };
        self.audit(
            "publish_snapshot",
            &format!(
                "{}: {} devices, {} TACs, {} findings, {} pairs, {} bytes",
                path.display(),
                published.devices,
                published.tacs,
                published.findings,
                published.pairs,
                published.bytes
            ),
        )?;
        Ok(published)
    }
}
