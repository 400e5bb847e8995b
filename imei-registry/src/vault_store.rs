//! The identity vault in the registry: the clear IMSI and MSISDN of every
//! subscriber pair seen in operator data, sealed ([`imei_core::vault`]) under
//! the vault key — a key the registry never stores, distinct from the
//! network-monitoring and owner keys (the registry records its fingerprint
//! and refuses the others) — and a per-subject salt kept in the slot file
//! beside the registry (`<registry>.vault`). Only an operator's own lists
//! open the entries (each opening audited); erasure and retention zero the
//! subject's slot (crypto-shredding), delete its rows and record a
//! destruction act.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use duckdb::{Connection, params};
use imei_core::pseudonym::PseudonymKey;
use imei_core::vault::{Slot, SlotFile, open, seal};

use crate::error::RegistryError;
use crate::store::{Registry, audit_on, now_us};

/// The vault's tables (idempotent; installed by the store).
pub(crate) const VAULT_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS vault_slots (imsi_p VARCHAR PRIMARY KEY, slot UBIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS identity_vault (
    imsi_p VARCHAR NOT NULL, msisdn_p VARCHAR NOT NULL, operator VARCHAR NOT NULL, nonce BLOB NOT NULL,
    sealed BLOB NOT NULL, PRIMARY KEY (imsi_p, msisdn_p, operator));
CREATE SEQUENCE IF NOT EXISTS destruction_seq START 1;
CREATE TABLE IF NOT EXISTS destruction_acts (
    act_id UBIGINT PRIMARY KEY, acted_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('erasure', 'retention')), purpose VARCHAR NOT NULL,
    subject VARCHAR NOT NULL, detail VARCHAR NOT NULL);
";

/// `meta` key of the vault key's fingerprint.
const META_VAULT_KEY: &str = "vault_key";

/// One subscriber pair to keep: pseudonyms and clear values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Clear {
    pub imsi_p: String,
    pub msisdn_p: String,
    pub imsi: String,
    pub msisdn: String,
}

/// A destruction act (erasure or retention), as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DestructionAct {
    /// Its number.
    pub act_id: u64,
    /// `erasure` or `retention`.
    pub kind: String,
    /// The purpose whose data was destroyed.
    pub purpose: String,
    /// The subject's pseudonym (or the retention cut-off).
    pub subject: String,
    /// What was destroyed, in words.
    pub detail: String,
}

/// Opened clear values: (IMSI, MSISDN) by (IMSI pseudonym, MSISDN pseudonym).
pub(crate) type Opened = BTreeMap<(String, String), (String, String)>;

fn aad(imsi_p: &str, msisdn_p: &str, operator: &str) -> Vec<u8> {
    format!("{imsi_p}\0{msisdn_p}\0{operator}").into_bytes()
}

/// Records a destruction act in `conn` (inside the caller's transaction).
pub(crate) fn record_act(
    conn: &Connection,
    actor: &str,
    kind: &str,
    purpose: &str,
    subject: &str,
    detail: &str,
) -> Result<DestructionAct, RegistryError> {
    let ctx = "recording a destruction act";
    let act_id: u64 = conn
        .query_row("SELECT nextval('destruction_seq')", [], |r| r.get(0))
        .map_err(RegistryError::db(ctx))?;
    conn.execute(
        "INSERT INTO destruction_acts VALUES (?, make_timestamp(?), ?, ?, ?, ?, ?)",
        params![act_id, now_us(), actor, kind, purpose, subject, detail],
    )
    .map_err(RegistryError::db(ctx))?;
    audit_on(
        conn,
        actor,
        "destruction_act",
        &format!("act {act_id}: {kind} of {purpose} data of {subject}: {detail}"),
    )?;
    Ok(DestructionAct {
        act_id,
        kind: kind.into(),
        purpose: purpose.into(),
        subject: subject.into(),
        detail: detail.into(),
    })
}

impl Registry {
    /// The slot file beside the registry.
    pub fn vault_path(&self) -> PathBuf {
        let mut p = self.path().as_os_str().to_owned();
        p.push(".vault");
        PathBuf::from(p)
    }

    /// Checks `key` as the vault key: not the owner or network key, and the
    /// one recorded (recorded now if none is). Each purpose has its own key.
    pub(crate) fn check_vault_key(&self, key: &PseudonymKey) -> Result<(), RegistryError> {
        let given = key.fingerprint();
        for (meta, what) in [
            (crate::rotate::META_FINGERPRINT, "owner-registration"),
            ("purpose_key.network_monitoring", "network-monitoring"),
        ] {
            if self.meta(meta)?.as_deref() == Some(given.as_str()) {
                return Err(RegistryError::Invalid(format!(
                    "the vault key is the {what} key (fingerprint {given}); the vault needs its own key \
                     (make one with `spectra registry new-key`)"
                )));
            }
        }
        match self.meta(META_VAULT_KEY)? {
            Some(stored) if stored != given => Err(RegistryError::KeyMismatch { stored, given }),
            Some(_) => Ok(()),
            None => self
                .conn
                .execute(
                    "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![META_VAULT_KEY, given],
                )
                .map(|_| ())
                .map_err(RegistryError::db("recording the vault key's fingerprint")),
        }
    }
}

/// Seals the clear values of `pairs` of `operator` in the caller's
/// transaction: new subjects get a slot in the slot file at `vault` (appended
/// and synced before the transaction commits; a slot left by a failed import
/// is never used).
pub(crate) fn seal_pairs(
    tx: &Connection,
    vault: &Path,
    key: &PseudonymKey,
    operator: &str,
    pairs: &BTreeSet<Clear>,
) -> Result<u64, RegistryError> {
    let ctx = "sealing subscriber identities";
    let mut slots = SlotFile::open_or_create(vault)?;
    let mut known: BTreeMap<String, u64> = BTreeMap::new();
    {
        let mut st = tx
            .prepare("SELECT slot FROM vault_slots WHERE imsi_p = ?")
            .map_err(RegistryError::db(ctx))?;
        let subjects: BTreeSet<&str> = pairs.iter().map(|c| c.imsi_p.as_str()).collect();
        for s in &subjects {
            let slot: Option<u64> = match st.query_row(params![s], |r| r.get(0)) {
                Ok(v) => Some(v),
                Err(duckdb::Error::QueryReturnedNoRows) => None,
                Err(e) => return Err(RegistryError::db(ctx)(e)),
            };
            if let Some(slot) = slot {
                known.insert(s.to_string(), slot);
            }
        }
        let fresh: Vec<&str> = subjects
            .iter()
            .copied()
            .filter(|s| !known.contains_key(*s))
            .collect();
        let new_slots = fresh
            .iter()
            .map(|s| Slot::new(s))
            .collect::<Result<Vec<_>, _>>()?;
        let first = slots.append(&new_slots)?;
        let mut add = tx
            .prepare("INSERT INTO vault_slots VALUES (?, ?)")
            .map_err(RegistryError::db(ctx))?;
        for (i, s) in fresh.iter().enumerate() {
            let n = first + i as u64;
            add.execute(params![s, n]).map_err(RegistryError::db(ctx))?;
            known.insert(s.to_string(), n);
        }
    }
    let mut add = tx
        .prepare("INSERT INTO identity_vault VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
        .map_err(RegistryError::db(ctx))?;
    let mut cache: Option<(String, Slot)> = None;
    let mut sealed = 0;
    for c in pairs {
        let n = known.get(&c.imsi_p).copied().unwrap_or(u64::MAX);
        let slot = match &cache {
            Some((s, slot)) if *s == c.imsi_p => slot.clone(),
            _ => {
                let slot = slots.read(n)?;
                cache = Some((c.imsi_p.clone(), slot.clone()));
                slot
            }
        };
        let clear = format!("{}\0{}", c.imsi, c.msisdn);
        let (nonce, bytes) = seal(
            key,
            &c.imsi_p,
            &slot,
            &aad(&c.imsi_p, &c.msisdn_p, operator),
            clear.as_bytes(),
        )?;
        sealed += add
            .execute(params![
                c.imsi_p,
                c.msisdn_p,
                operator,
                nonce.to_vec(),
                bytes
            ])
            .map_err(RegistryError::db(ctx))? as u64;
    }
    Ok(sealed)
}

impl Registry {
    /// Opens the clear (IMSI, MSISDN) of each of `pairs` of `operator` (an
    /// erased subject gives none) and audits the read with `why`.
    pub(crate) fn open_pairs(
        &self,
        key: &PseudonymKey,
        operator: &str,
        pairs: &BTreeSet<(String, String)>,
        why: &str,
    ) -> Result<Opened, RegistryError> {
        let ctx = "opening subscriber identities";
        self.check_vault_key(key)?;
        let mut slots = SlotFile::open_or_create(&self.vault_path())?;
        let mut st = self
            .conn
            .prepare(
                "SELECT s.slot, v.nonce, v.sealed FROM identity_vault v JOIN vault_slots s USING (imsi_p) \
                 WHERE v.imsi_p = ? AND v.msisdn_p = ? AND v.operator = ?",
            )
            .map_err(RegistryError::db(ctx))?;
        let mut out = BTreeMap::new();
        for (imsi_p, msisdn_p) in pairs {
            let row: Option<(u64, Vec<u8>, Vec<u8>)> = match st
                .query_row(params![imsi_p, msisdn_p, operator], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                }) {
                Ok(v) => Some(v),
                Err(duckdb::Error::QueryReturnedNoRows) => None,
                Err(e) => return Err(RegistryError::db(ctx)(e)),
            };
            let Some((n, nonce, sealed)) = row else {
                continue;
            };
            let slot = slots.read(n)?;
            let clear = open(
                key,
                imsi_p,
                &slot,
                &aad(imsi_p, msisdn_p, operator),
                &nonce,
                &sealed,
            )?;
            let text = String::from_utf8_lossy(&clear).to_string();
            let (imsi, msisdn) = text.split_once('\0').unwrap_or((text.as_str(), ""));
            out.insert(
                (imsi_p.clone(), msisdn_p.clone()),
                (imsi.to_string(), msisdn.to_string()),
            );
        }
        self.audit(
            "read_personal_data",
            &format!(
                "purpose network_monitoring; what: clear IMSI/MSISDN of {} of {} subscriber pairs of \
                 {operator} from the identity vault; why: {why}",
                out.len(),
                pairs.len()
            ),
        )?;
        Ok(out)
    }
}

/// Erases the vault entries of the subscribers `subjects` (IMSI pseudonyms)
/// in the caller's transaction: zeroes their slots in the slot file at
/// `vault` (in place, synced, before the commit: a failed commit leaves rows
/// that no longer open), deletes their rows. Returns the slots zeroed.
pub(crate) fn shred(
    tx: &Connection,
    vault: &Path,
    subjects: &[String],
) -> Result<u64, RegistryError> {
    let ctx = "erasing vault entries";
    let mut slots = SlotFile::open_or_create(vault)?;
    let mut zeroed = 0;
    for s in subjects {
        let slot: Option<u64> = match tx.query_row(
            "SELECT slot FROM vault_slots WHERE imsi_p = ?",
            params![s],
            |r| r.get(0),
        ) {
            Ok(v) => Some(v),
            Err(duckdb::Error::QueryReturnedNoRows) => None,
            Err(e) => return Err(RegistryError::db(ctx)(e)),
        };
        if let Some(n) = slot {
            slots.erase(n)?;
            zeroed += 1;
        }
        tx.execute("DELETE FROM identity_vault WHERE imsi_p = ?", params![s])
            .map_err(RegistryError::db(ctx))?;
        tx.execute("DELETE FROM vault_slots WHERE imsi_p = ?", params![s])
            .map_err(RegistryError::db(ctx))?;
    }
    Ok(zeroed)
}

impl Registry {
    /// The destruction acts, oldest first.
    pub fn destruction_acts(&self) -> Result<Vec<DestructionAct>, RegistryError> {
        let ctx = "reading destruction acts";
        let mut st = self
            .conn
            .prepare(
                "SELECT act_id, kind, purpose, subject, detail FROM destruction_acts ORDER BY act_id",
            )
            .map_err(RegistryError::db(ctx))?;
        st.query_map([], |r| {
            Ok(DestructionAct {
                act_id: r.get(0)?,
                kind: r.get(1)?,
                purpose: r.get(2)?,
                subject: r.get(3)?,
                detail: r.get(4)?,
            })
        })
        .map_err(RegistryError::db(ctx))?
        .collect::<Result<_, _>>()
        .map_err(RegistryError::db(ctx))
    }
}

/// One audited read of personal data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonalDataRead {
    /// When (UTC, ISO).
    pub at: String,
    /// Who.
    pub actor: String,
    /// Purpose, what and why, in words.
    pub detail: String,
}

impl Registry {
    /// The audited reads of personal data, oldest first.
    pub fn personal_data_reads(&self) -> Result<Vec<PersonalDataRead>, RegistryError> {
        let ctx = "reading the audit log";
        let mut st = self
            .conn
            .prepare(
                "SELECT logged_at::VARCHAR, actor, detail FROM audit_log \
                 WHERE action = 'read_personal_data' ORDER BY seq",
            )
            .map_err(RegistryError::db(ctx))?;
        st.query_map([], |r| {
            Ok(PersonalDataRead {
                at: r.get(0)?,
                actor: r.get(1)?,
                detail: r.get(2)?,
            })
        })
        .map_err(RegistryError::db(ctx))?
        .collect::<Result<_, _>>()
        .map_err(RegistryError::db(ctx))
    }
}
