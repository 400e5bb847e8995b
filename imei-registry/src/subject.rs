//! The data subject's duties (personal-data law): **subject access** exports
//! everything the registry holds about one subject under one purpose — a
//! subscriber by IMSI (network monitoring: sightings, the clear values in the
//! identity vault, pairings, notification entries, the findings on the
//! IMEIs they used) or an owner by ID (owner registration: the devices
//! registered to them) — never merging the two; **erasure** destroys a
//! subscriber's vault entries by crypto-shredding (their slot zeroed, their
//! rows and pairings deleted; the pseudonymised sightings stay as evidence
//! until retention drops them) or unlinks an owner's pseudonym from their
//! devices; **retention** drops network data older than N months and shreds
//! the vault entries no longer backed by any. Every erasure and retention
//! is a destruction act; every read of personal data is audited with why.
//! Each takes the purpose's key and refuses one that is not the registry's
//! (a wrong key would find nobody and erase nothing).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use duckdb::params;
use imei_core::pseudonym::PseudonymKey;
use imei_core::purpose::{Field, Purpose, network_pseudonym};

use crate::error::RegistryError;
use crate::staging::query_all;
use crate::store::{DeviceRow, Registry};
use crate::vault_store::{DestructionAct, record_act, shred};

/// One month of sightings of a subscriber with one IMEI.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubjectSighting {
    /// The IMEI as received.
    pub imei: String,
    /// The operator.
    pub operator: String,
    /// `YYYYMM`.
    pub month: u32,
    /// Days of the month seen.
    pub days: Vec<u32>,
    /// The MSISDN's pseudonym.
    pub msisdn_pseudonym: String,
}

/// A finding on an IMEI the subscriber used.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubjectFinding {
    /// The IMEI.
    pub imei: String,
    /// The condition's label.
    pub condition: String,
    /// Block date (ISO).
    pub block_date: String,
    /// The inputs, in words.
    pub inputs: String,
    /// The reason.
    pub reason: String,
}

/// Everything held about one subscriber for network monitoring.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubscriberExport {
    /// Always `network_monitoring`.
    pub purpose: &'static str,
    /// The IMSI's pseudonym.
    pub imsi_pseudonym: String,
    /// Sightings, by IMEI, operator and month.
    pub sightings: Vec<SubjectSighting>,
    /// Clear values held in the identity vault: (operator, IMSI, MSISDN).
    pub vault: Vec<(String, String, String)>,
    /// Pairings: (IMEI, operator).
    pub pairings: Vec<(String, String)>,
    /// Notification entries: (list generation, operator, IMEI, block date).
    pub notifications: Vec<(u64, String, String, String)>,
    /// Open findings on the IMEIs they used.
    pub findings: Vec<SubjectFinding>,
}

/// Everything held about one owner for owner registration.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OwnerExport {
    /// Always `owner_registration`.
    pub purpose: &'static str,
    /// The owner's pseudonym.
    pub owner_pseudonym: String,
    /// Their registered devices.
    pub devices: Vec<DeviceRow>,
}

/// What an erasure or retention did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Destruction {
    /// The act recorded.
    pub act: DestructionAct,
    /// Vault slots zeroed.
    pub slots_zeroed: u64,
    /// Rows deleted or unlinked.
    pub rows: u64,
}

fn days_of(mask: u32) -> Vec<u32> {
    (0..31)
        .filter(|d| mask & (1 << d) != 0)
        .map(|d| d + 1)
        .collect()
}

impl Registry {
    /// Subject access for the subscriber with `imsi`: pseudonymised under
    /// `key` (the network-monitoring key), clear values opened under `vault`.
    /// Audited with `why`.
    pub fn subscriber_access(
        &self,
        imsi: &str,
        key: &PseudonymKey,
        vault: &PseudonymKey,
        why: &str,
    ) -> Result<SubscriberExport, RegistryError> {
        let ctx = "subject access (network monitoring)";
        self.check_purpose_key(Purpose::NetworkMonitoring, key)?;
        let imsi_p = network_pseudonym(key, Field::Imsi, imsi);
        let sightings: Vec<SubjectSighting> = query_all(
            &self.conn,
            "SELECT imei, operator, month, day_mask, msisdn_p FROM network_triplets WHERE imsi_p = ? \
                 ORDER BY month, operator, imei, msisdn_p",
            params![imsi_p],
            ctx,
            |r| {
                Ok(SubjectSighting {
                    imei: r.get(0)?,
                    operator: r.get(1)?,
                    month: r.get(2)?,
                    days: days_of(r.get(3)?),
                    msisdn_pseudonym: r.get(4)?,
                })
            },
        )?;
        let held: Vec<(String, String)> = query_all(
            &self.conn,
            "SELECT operator, msisdn_p FROM identity_vault WHERE imsi_p = ? ORDER BY ALL",
            params![imsi_p],
            ctx,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut by_op: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        for (op, mp) in held {
            by_op.entry(op).or_default().insert((imsi_p.clone(), mp));
        }
        let mut vault_rows = Vec::new();
        for (op, pairs) in &by_op {
            for (_, (i, m)) in
                self.open_pairs(vault, op, pairs, &format!("subject access: {why}"))?
            {
                vault_rows.push((op.clone(), i, m));
            }
        }
        let pairings: Vec<(String, String)> = query_all(
            &self.conn,
            "SELECT imei, operator FROM pairing_list WHERE imsi_p = ? ORDER BY ALL",
            params![imsi_p],
            ctx,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let notifications: Vec<(u64, String, String, String)> = query_all(
            &self.conn,
            "SELECT list_id, operator, imei, block_date::VARCHAR FROM notification_entries \
                 WHERE imsi_p = ? ORDER BY ALL",
            params![imsi_p],
            ctx,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let findings: Vec<SubjectFinding> = query_all(
            &self.conn,
            "SELECT imei, condition, block_date::VARCHAR, inputs, reason FROM classification_matches \
                 WHERE imei IN (SELECT imei FROM network_triplets WHERE imsi_p = ?) ORDER BY ALL",
            params![imsi_p],
            ctx,
            |r| {
                Ok(SubjectFinding {
                    imei: r.get(0)?,
                    condition: r.get(1)?,
                    block_date: r.get(2)?,
                    inputs: r.get(3)?,
                    reason: r.get(4)?,
                })
            },
        )?;
        self.audit(
            "read_personal_data",
            &format!(
                "purpose network_monitoring; what: subject access export of {imsi_p} ({} sightings, {} \
                 vault entries, {} pairings, {} notification entries); why: {why}",
                sightings.len(),
                vault_rows.len(),
                pairings.len(),
                notifications.len()
            ),
        )?;
        Ok(SubscriberExport {
            purpose: Purpose::NetworkMonitoring.name(),
            imsi_pseudonym: imsi_p,
            sightings,
            vault: vault_rows,
            pairings,
            notifications,
            findings,
        })
    }

    /// Subject access for the owner with `owner_id`, pseudonymised under
    /// `key` (the owner-registration key). Audited with `why`.
    pub fn owner_access(
        &self,
        owner_id: &str,
        key: &PseudonymKey,
        why: &str,
    ) -> Result<OwnerExport, RegistryError> {
        let ctx = "subject access (owner registration)";
        self.check_pseudonym_key(key)?;
        let p = key.pseudonymise(owner_id);
        let keys: Vec<u64> = query_all(
            &self.conn,
            "SELECT imei_key FROM devices WHERE owner_pseudonym = ? ORDER BY imei_key",
            params![p],
            ctx,
            |r| r.get(0),
        )?;
        let mut devices = Vec::new();
        for k in keys {
            devices.extend(self.device(k)?);
        }
        self.audit(
            "read_personal_data",
            &format!(
                "purpose owner_registration; what: subject access export of {p} ({} devices); why: {why}",
                devices.len()
            ),
        )?;
        Ok(OwnerExport {
            purpose: Purpose::OwnerRegistration.name(),
            owner_pseudonym: p,
            devices,
        })
    }

    /// Erases the subscriber with `imsi` (pseudonymised under `key`):
    /// crypto-shreds their vault entries, deletes their pairings, records a
    /// destruction act with `why`.
    pub fn erase_subscriber(
        &mut self,
        imsi: &str,
        key: &PseudonymKey,
        why: &str,
    ) -> Result<Destruction, RegistryError> {
        let ctx = "erasing a subscriber";
        self.check_purpose_key(Purpose::NetworkMonitoring, key)?;
        let imsi_p = network_pseudonym(key, Field::Imsi, imsi);
        let vault_path = self.vault_path();
        let tx = self.conn.transaction().map_err(RegistryError::db(ctx))?;
        let entries: u64 = tx
            .query_row(
                "SELECT count(*) FROM identity_vault WHERE imsi_p = ?",
                params![imsi_p],
                |r| r.get(0),
            )
            .map_err(RegistryError::db(ctx))?;
        let pairings = tx
            .execute("DELETE FROM pairing_list WHERE imsi_p = ?", params![imsi_p])
            .map_err(RegistryError::db(ctx))? as u64;
        let slots_zeroed = shred(&tx, &vault_path, std::slice::from_ref(&imsi_p))?;
        let act = record_act(
            &tx,
            &self.actor,
            "erasure",
            Purpose::NetworkMonitoring.name(),
            &imsi_p,
            &format!(
                "{slots_zeroed} vault slot zeroed, {entries} vault entries and {pairings} pairings deleted; \
                 pseudonymised sightings kept until retention; why: {why}"
            ),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(Destruction {
            act,
            slots_zeroed,
            rows: entries + pairings,
        })
    }

    /// Erases the owner with `owner_id` (pseudonymised under `key`): their
    /// pseudonym is removed from every device; records a destruction act.
    pub fn erase_owner(
        &mut self,
        owner_id: &str,
        key: &PseudonymKey,
        why: &str,
    ) -> Result<Destruction, RegistryError> {
        let ctx = "erasing an owner";
        self.check_pseudonym_key(key)?;
        let p = key.pseudonymise(owner_id);
        let tx = self.conn.transaction().map_err(RegistryError::db(ctx))?;
        let rows = tx
            .execute(
                "UPDATE devices SET owner_pseudonym = NULL WHERE owner_pseudonym = ?",
                params![p],
            )
            .map_err(RegistryError::db(ctx))? as u64;
        let act = record_act(
            &tx,
            &self.actor,
            "erasure",
            Purpose::OwnerRegistration.name(),
            &p,
            &format!("owner pseudonym removed from {rows} devices; why: {why}"),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(Destruction {
            act,
            slots_zeroed: 0,
            rows,
        })
    }

    /// Drops network data of months before the `months` calendar months
    /// ending with `date`'s month, and the notification entries of list
    /// generations dated before them; shreds the vault entries of subscriber
    /// pairs no longer seen (a paired IMSI keeps its entry). One act.
    pub fn apply_retention(
        &mut self,
        months: u32,
        date: NaiveDate,
    ) -> Result<Destruction, RegistryError> {
        if months == 0 {
            return Err(RegistryError::Invalid(
                "retention: expected at least 1 month, found 0".into(),
            ));
        }
        let ctx = "applying retention";
        let index = date.year() * 12 + date.month0() as i32 - (months as i32 - 1);
        let (y, m0) = (index.div_euclid(12), index.rem_euclid(12));
        let cutoff_month = (y * 100 + m0 + 1).max(0) as u32;
        let cutoff_date = NaiveDate::from_ymd_opt(y, m0 as u32 + 1, 1).unwrap_or(date);
        let vault_path = self.vault_path();
        let tx = self.conn.transaction().map_err(RegistryError::db(ctx))?;
        let triplets = tx
            .execute(
                "DELETE FROM network_triplets WHERE month < ?",
                params![cutoff_month],
            )
            .map_err(RegistryError::db(ctx))? as u64;
        let notes = tx
            .execute(
                "DELETE FROM notification_entries WHERE list_id IN \
                 (SELECT list_id FROM list_generations WHERE list_date < ?::DATE)",
                params![cutoff_date.to_string()],
            )
            .map_err(RegistryError::db(ctx))? as u64;
        let orphans: Vec<String> = {
            query_all(
                &tx,
                "SELECT imsi_p FROM vault_slots s WHERE NOT EXISTS \
                     (SELECT 1 FROM network_triplets t WHERE t.imsi_p = s.imsi_p) AND NOT EXISTS \
                     (SELECT 1 FROM pairing_list p WHERE p.imsi_p = s.imsi_p) ORDER BY imsi_p",
                [],
                ctx,
                |r| r.get(0),
            )?
        };
        let slots_zeroed = shred(&tx, &vault_path, &orphans)?;
        let entries = tx
            .execute(
                "DELETE FROM identity_vault v WHERE NOT EXISTS (SELECT 1 FROM network_triplets t \
                 WHERE t.imsi_p = v.imsi_p AND t.msisdn_p = v.msisdn_p AND t.operator = v.operator) \
                 AND NOT (v.msisdn_p = '' AND EXISTS (SELECT 1 FROM pairing_list p \
                 WHERE p.imsi_p = v.imsi_p AND p.operator = v.operator))",
                [],
            )
            .map_err(RegistryError::db(ctx))? as u64;
        let act = record_act(
            &tx,
            &self.actor,
            "retention",
            Purpose::NetworkMonitoring.name(),
            &format!("months before {cutoff_month}"),
            &format!(
                "{months} months kept: {triplets} triplet rows, {notes} notification entries and {entries} \
                 further vault entries deleted, {slots_zeroed} subscribers no longer seen shredded"
            ),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(Destruction {
            act,
            slots_zeroed,
            rows: triplets + notes + entries,
        })
    }
}
