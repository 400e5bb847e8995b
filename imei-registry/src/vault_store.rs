//! The identity vault in the registry: the clear IMSI and MSISDN of every
//! subscriber pair seen in operator data, sealed ([`imei_core::vault`]) under
//! the vault key — a key the registry never stores, distinct from the
//! network-monitoring and owner keys (the registry records its fingerprint
//! and refuses the others) — and a per-subject salt kept in the slot file
//! beside the registry (`<registry>.vault`). Only an operator's own lists
//! open the entries (each opening audited); erasure and retention zero the
//! subject's slot (crypto-shredding), delete its rows and record a
//! destruction act.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use arrow::array::{BinaryArray, StringArray, UInt64Array};
use std::path::{Path, PathBuf};

use duckdb::{Connection, params};
use imei_core::pseudonym::PseudonymKey;
use imei_core::vault::{Slot, SlotFile, open, seal};

use crate::error::RegistryError;
use crate::staging::{batch, query_all, with_batch};
use crate::store::{Registry, audit_on, now_us};

/// The vault's tables (idempotent; installed by the store). No indexes: a
/// subject's rows are found by hash joins or a scan, and uniqueness is kept
/// by the one writer (a subject's slot is created once, a pair sealed
/// once); an index on 64-hex-digit pseudonyms of 30 M subscribers would pin
/// gigabytes in DuckDB's memory, which it cannot evict.
pub(crate) const VAULT_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS vault_slots (imsi_p VARCHAR NOT NULL, slot UBIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS identity_vault (
    imsi_p VARCHAR NOT NULL, msisdn_p VARCHAR NOT NULL, operator VARCHAR NOT NULL, nonce BLOB NOT NULL,
    sealed BLOB NOT NULL);
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
    let subjects: BTreeSet<&str> = pairs.iter().map(|c| c.imsi_p.as_str()).collect();
    with_batch(
        tx,
        "CREATE OR REPLACE TEMP TABLE _subjects AS SELECT * FROM spectra_arrow(?)",
        batch(vec![(
            "imsi_p",
            Arc::new(StringArray::from_iter_values(subjects.iter())),
        )])?,
        ctx,
    )?;
    let mut known: HashMap<String, u64> = HashMap::new();
    let mut held: HashSet<(String, String)> = HashSet::new();
    if !subjects.is_empty() {
        let mut st = tx
            .prepare("SELECT imsi_p, slot FROM vault_slots SEMI JOIN _subjects USING (imsi_p)")
            .map_err(RegistryError::db(ctx))?;
        known = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(RegistryError::db(ctx))?
            .collect::<Result<_, _>>()
            .map_err(RegistryError::db(ctx))?;
        let mut st = tx
            .prepare(
                "SELECT imsi_p, msisdn_p FROM identity_vault SEMI JOIN _subjects USING (imsi_p) \
                 WHERE operator = ?",
            )
            .map_err(RegistryError::db(ctx))?;
        held = st
            .query_map(params![operator], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(RegistryError::db(ctx))?
            .collect::<Result<_, _>>()
            .map_err(RegistryError::db(ctx))?;
        tx.execute_batch("DROP TABLE _subjects")
            .map_err(RegistryError::db(ctx))?;
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
    let numbers: Vec<u64> = (0..fresh.len() as u64).map(|i| first + i).collect();
    with_batch(
        tx,
        "INSERT INTO vault_slots SELECT imsi_p, slot FROM spectra_arrow(?)",
        batch(vec![
            (
                "imsi_p",
                Arc::new(StringArray::from_iter_values(fresh.iter())),
            ),
            ("slot", Arc::new(UInt64Array::from(numbers))),
        ])?,
        ctx,
    )?;
    let mut salts: HashMap<&str, Slot> = fresh.iter().copied().zip(new_slots).collect();
    let (mut ip, mut mp, mut nonces, mut sealed) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for c in pairs {
        if held.contains(&(c.imsi_p.clone(), c.msisdn_p.clone())) {
            continue;
        }
        if !salts.contains_key(c.imsi_p.as_str()) {
            let n = known.get(&c.imsi_p).copied().unwrap_or(u64::MAX);
            salts.insert(c.imsi_p.as_str(), slots.read(n)?);
        }
        let Some(slot) = salts.get(c.imsi_p.as_str()) else {
            continue;
        };
        let clear = format!("{}\0{}", c.imsi, c.msisdn);
        let (nonce, bytes) = seal(
            key,
            &c.imsi_p,
            slot,
            &aad(&c.imsi_p, &c.msisdn_p, operator),
            clear.as_bytes(),
        )?;
        ip.push(c.imsi_p.as_str());
        mp.push(c.msisdn_p.as_str());
        nonces.push(nonce.to_vec());
        sealed.push(bytes);
    }
    let n = with_batch(
        tx,
        "INSERT INTO identity_vault SELECT imsi_p, msisdn_p, operator, nonce, sealed FROM spectra_arrow(?)",
        batch(vec![
            ("imsi_p", Arc::new(StringArray::from_iter_values(ip.iter()))),
            (
                "msisdn_p",
                Arc::new(StringArray::from_iter_values(mp.iter())),
            ),
            (
                "operator",
                Arc::new(StringArray::from_iter_values(ip.iter().map(|_| operator))),
            ),
            (
                "nonce",
                Arc::new(BinaryArray::from_iter_values(nonces.iter())),
            ),
            (
                "sealed",
                Arc::new(BinaryArray::from_iter_values(sealed.iter())),
            ),
        ])?,
        ctx,
    )?;
    Ok(n as u64)
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
        let mut out = BTreeMap::new();
        if with_batch(
            &self.conn,
            "CREATE OR REPLACE TEMP TABLE _wanted AS SELECT * FROM spectra_arrow(?)",
            batch(vec![
                (
                    "imsi_p",
                    Arc::new(StringArray::from_iter_values(pairs.iter().map(|p| &p.0))),
                ),
                (
                    "msisdn_p",
                    Arc::new(StringArray::from_iter_values(pairs.iter().map(|p| &p.1))),
                ),
            ])?,
            ctx,
        )? > 0
        {
            type Row = (String, String, u64, Vec<u8>, Vec<u8>);
            let rows: Vec<Row> = {
                query_all(
                    &self.conn,
                    "SELECT v.imsi_p, v.msisdn_p, s.slot, v.nonce, v.sealed FROM _wanted w \
                         JOIN identity_vault v ON v.imsi_p = w.imsi_p AND v.msisdn_p = w.msisdn_p \
                         JOIN vault_slots s ON s.imsi_p = v.imsi_p WHERE v.operator = ? ORDER BY s.slot",
                    params![operator],
                    ctx,
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )?
            };
            self.conn
                .execute_batch("DROP TABLE _wanted")
                .map_err(RegistryError::db(ctx))?;
            for (imsi_p, msisdn_p, n, nonce, sealed) in rows {
                let slot = slots.read(n)?;
                let clear = open(
                    key,
                    &imsi_p,
                    &slot,
                    &aad(&imsi_p, &msisdn_p, operator),
                    &nonce,
                    &sealed,
                )?;
                let text = String::from_utf8_lossy(&clear).to_string();
                let (imsi, msisdn) = text.split_once('\0').unwrap_or((text.as_str(), ""));
                out.insert((imsi_p, msisdn_p), (imsi.to_string(), msisdn.to_string()));
            }
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
    if with_batch(
        tx,
        "CREATE OR REPLACE TEMP TABLE _shred AS SELECT * FROM spectra_arrow(?)",
        batch(vec![(
            "imsi_p",
            Arc::new(StringArray::from_iter_values(subjects.iter())),
        )])?,
        ctx,
    )? == 0
    {
        return Ok(0);
    }
    let numbers: Vec<u64> = {
        query_all(
            tx,
            "SELECT slot FROM vault_slots SEMI JOIN _shred USING (imsi_p) ORDER BY slot",
            [],
            ctx,
            |r| r.get(0),
        )?
    };
    slots.erase(&numbers)?;
    tx.execute_batch(
        "DELETE FROM identity_vault WHERE imsi_p IN (SELECT imsi_p FROM _shred); \
         DELETE FROM vault_slots WHERE imsi_p IN (SELECT imsi_p FROM _shred); \
         DROP TABLE _shred;",
    )
    .map_err(RegistryError::db(ctx))?;
    Ok(numbers.len() as u64)
}

impl Registry {
    /// The destruction acts, oldest first.
    pub fn destruction_acts(&self) -> Result<Vec<DestructionAct>, RegistryError> {
        let ctx = "reading destruction acts";
        query_all(
            &self.conn,
            "SELECT act_id, kind, purpose, subject, detail FROM destruction_acts ORDER BY act_id",
            [],
            ctx,
            |r| {
                Ok(DestructionAct {
                    act_id: r.get(0)?,
                    kind: r.get(1)?,
                    purpose: r.get(2)?,
                    subject: r.get(3)?,
                    detail: r.get(4)?,
                })
            },
        )
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
        query_all(
            &self.conn,
            "SELECT logged_at::VARCHAR, actor, detail FROM audit_log \
                 WHERE action = 'read_personal_data' ORDER BY seq",
            [],
            ctx,
            |r| {
                Ok(PersonalDataRead {
                    at: r.get(0)?,
                    actor: r.get(1)?,
                    detail: r.get(2)?,
                })
            },
        )
    }
}
